import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { insertActors } from '../kit/context';
import { describeInChromium, expectNoAxeViolations, startBoard, textOf, type Board } from './kit/browser';

/*
 * Token mode: the server trusts an issuer (here the test issuer) but has no AUTH0_CLIENT_ID, so the
 * page says what to configure and takes a pasted access token, kept across a reload.
 */
jest.setTimeout(90_000);

describeInChromium('The casting board in token mode (Chromium)', () => {
  let board: Board;
  let page: Page;

  beforeAll(async () => {
    board = await startBoard({ mode: 'token' });
    page = await board.newPage();
    await insertActors(board.ctx.db, { name: 'Kevin Bacon', age: 66, gender: 'male' });
  });
  afterAll(() => board?.close());
  afterEach(() => expect(board.outside).toEqual([]));

  it('loads at most 60 000 bytes of JavaScript and CSS, gzipped, and nothing of Auth0', async () => {
    const loaded: { url: string; gzipped: number }[] = [];
    const other = await board.browser.newPage();
    other.on('response', async (r) => {
      const type = r.request().resourceType();
      if (type === 'script' || type === 'stylesheet' || type === 'document')
        loaded.push({ url: r.url(), gzipped: gzipSync(await r.body(), { level: 9 }).length });
    });
    await other.goto(`${board.baseUrl}/app/`);
    await other.getByLabel('Access token').waitFor();
    await other.close();
    const total = loaded.reduce((sum, r) => sum + r.gzipped, 0);
    expect(loaded.filter((r) => r.url.includes('auth0'))).toEqual([]);
    expect(loaded.filter((r) => r.url.endsWith('.js')).length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(60_000);
  });

  it('explains what to configure, refuses a bad token, signs in with a pasted one, stays signed in on reload, and signs out', async () => {
    await page.goto(`${board.baseUrl}/app/actors`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to the casting board' }).waitFor();
    expect(await textOf(page, 'main')).toContain('AUTH0_CLIENT_ID');
    expect(await page.getByRole('button', { name: 'Casting Assistant' }).count()).toBe(0);
    await expectNoAxeViolations(page, 'sign-in (token mode)');

    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expectNoAxeViolations(page, 'sign-in (token mode) with a refused token');

    await page.getByLabel('Access token').fill(board.token('director'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Actors' }).waitFor();
    expect(await textOf(page, 'header')).toContain('Casting Director · auth0|test-director');
    await page.getByText('1–1 of 1 actors').waitFor();
    await page.getByRole('button', { name: 'Add actor' }).waitFor();
    await expectNoAxeViolations(page, 'actors list (token mode, director)');

    await page.reload();
    await page.getByText('1–1 of 1 actors').waitFor();
    expect(await textOf(page, 'header')).toContain('Casting Director');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/');
    await page.reload();
    await page.getByLabel('Access token').waitFor();
  });

  it('lists the permissions of a token that is no known role', async () => {
    await page.goto(`${board.baseUrl}/app/`);
    await page.getByLabel('Access token').fill(board.ctx.issuer.token('assistant', { permissions: ['get:actors'] }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Permissions: get:actors').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
  });
});
