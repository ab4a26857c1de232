import type { Page } from 'playwright-core';
import { insertActors, insertMovies, type ActorRow } from '../kit/context';
import { describeInChromium, expectNoAxeViolations, startBoard, textOf, type Board } from './kit/browser';

/*
 * Errors people can act on, in development mode: each is made to happen for real where it can (the
 * API's own 422 and 412, an expired token, a 403) and by answering for the server where it cannot
 * (429, 503, no network), then checked on the page and, for writes, in the database.
 */
const TOKEN_KEY = 'casting-board:token';

jest.setTimeout(90_000);

describeInChromium('The casting board when things go wrong (Chromium)', () => {
  let board: Board;
  let page: Page;
  let kevin: ActorRow;

  beforeAll(async () => {
    board = await startBoard();
    page = await board.newPage();
    [kevin] = (await insertActors(board.ctx.db, { name: 'Kevin Bacon', age: 66, gender: 'male' })) as [ActorRow];
    await insertMovies(board.ctx.db, { title: 'Heat', release_date: '1995-12-15' });
  });
  afterAll(() => board?.close());
  afterEach(async () => {
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    expect(board.outside).toEqual([]);
  });

  /** Signed in as the role with its token put in storage, then on `at`. */
  async function openAs(role: 'assistant' | 'director' | 'producer', at: string) {
    await page.goto(`${board.baseUrl}/app/`);
    await page.evaluate(([key, token]) => localStorage.setItem(key!, token!), [TOKEN_KEY, board.token(role)]);
    await page.goto(`${board.baseUrl}${at}`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const describedText = async (label: string) => {
    const field = page.getByLabel(label, { exact: true });
    // The answer comes asynchronously: wait until the field is marked, never read it before.
    await field.and(page.locator('[aria-invalid="true"]')).waitFor();
    return page.locator(`#${await field.getAttribute('aria-describedby')}`).innerText();
  };

  it("shows the API's own 422 details at the field they name, even where the page checks first", async () => {
    await openAs('director', `/app/actors/${kevin.id}/edit`);
    await heading('Edit Kevin Bacon').waitFor();
    // The page would refuse -5 itself; the request is rewritten on its way so the server judges it.
    await page.route('**/actors/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), age: -5 }) })
        : route.continue(),
    );
    await page.getByLabel('Age').fill('67');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await describedText('Age')).toBe('Age must be at least 0');
    await page.getByRole('alert').filter({ hasText: 'The actor was not saved: one field needs attention.' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-age');
    await expectNoAxeViolations(page, 'actor form with the API 422');
    expect((await board.ctx.db.query<{ age: number }>('SELECT age FROM actors WHERE id = $1', [kevin.id]))[0]!.age).toBe(66);
  });

  it('says someone else changed it (412), shows their version, keeps what was typed, and saves it when asked again', async () => {
    await openAs('director', `/app/actors/${kevin.id}/edit`);
    await heading('Edit Kevin Bacon').waitFor();
    await page.getByLabel('Name').fill('Kevin N. Bacon');
    await board.ctx.api.as('producer').patch(`/actors/${kevin.id}`).send({ name: 'Kevin Norwood Bacon' }).expect(200);

    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this actor while you were editing it.' });
    await alert.waitFor();
    expect(await textOf(page, '.problem')).toContain('Kevin Norwood Bacon');
    expect(await page.getByLabel('Name').inputValue()).toBe('Kevin N. Bacon');
    await expectNoAxeViolations(page, 'actor form after a 412');
    expect((await board.ctx.db.query('SELECT name FROM actors WHERE id = $1', [kevin.id]))[0]).toEqual({ name: 'Kevin Norwood Bacon' });

    await page.getByRole('button', { name: 'Save' }).click();
    await heading('Kevin N. Bacon').waitFor();
    expect((await board.ctx.db.query('SELECT name FROM actors WHERE id = $1', [kevin.id]))[0]).toEqual({ name: 'Kevin N. Bacon' });
  });

  it('on a 401 mid-session goes to sign-in, then back to the same screen', async () => {
    await openAs('producer', '/app/movies?q=hea');
    await page.getByText('1–1 of 1 movies').waitFor();
    await page.evaluate(([key, token]) => localStorage.setItem(key!, token!), [TOKEN_KEY, board.expiredToken('producer')]);
    await page.getByLabel('Search').fill('heat');
    await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
    await heading('Sign in to the casting board').waitFor();
    await expectNoAxeViolations(page, 'sign-in after a 401');
    expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull();

    await page.getByRole('button', { name: 'Executive Producer' }).click();
    await heading('Movies').waitFor();
    expect(new URL(page.url()).search).toBe('?q=heat');
    await page.getByText('1–1 of 1 movies').waitFor();
  });

  it('shows a 403 that slips through instead of swallowing it, and changes nothing', async () => {
    await openAs('director', '/app/movies');
    // The page believes the director may add movies (a stale identity, say); the API still refuses.
    await page.route('**/me', async (route) => {
      const answer = await route.fetch();
      const body = { ...(await answer.json()), permissions: ['delete:movies', 'get:actors', 'get:movies', 'post:movies'] };
      await route.fulfill({ response: answer, json: body });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Add movie' }).click();
    await page.getByLabel('Title').fill('Forbidden');
    await page.getByLabel('Release date').fill('2020-01-01');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'You are not allowed to do this' }).waitFor();
    expect(await board.ctx.db.query("SELECT id FROM movies WHERE title = 'Forbidden'")).toEqual([]);
  });

  it('says when to retry after a 429, that the service is briefly unavailable on 503, and that the network is down', async () => {
    await openAs('assistant', '/app/actors');
    await page.getByText('1–1 of 1 actors').waitFor();
    const answer = (status: number) => (route: Parameters<Parameters<Page['route']>[1]>[0]) =>
      route.fulfill({
        status,
        headers: { 'Retry-After': '30', 'Content-Type': 'application/json' },
        json: { success: false, error: status, message: 'no', code: status === 429 ? 'rate_limited' : 'database_unavailable' },
      });

    await page.route('**/actors?*', answer(429));
    await page.getByLabel('Search').fill('kev');
    await page.getByRole('alert').filter({ hasText: 'Too many requests for now. Try again in 30 seconds' }).waitFor();
    await expectNoAxeViolations(page, 'actors list with a 429');

    await page.unrouteAll();
    await page.route('**/actors?*', answer(503));
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('alert').filter({ hasText: 'The service is briefly unavailable. Try again in 30 seconds' }).waitFor();

    await page.unrouteAll();
    await page.route('**/actors?*', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('alert').filter({ hasText: 'The server could not be reached' }).waitFor();

    await page.unrouteAll();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByText('1–1 of 1 actors').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('kev');
  });

  it('names an unknown actor and an unknown screen, with a way back', async () => {
    await openAs('assistant', '/app/actors/999999');
    await page.getByRole('alert').filter({ hasText: 'not found' }).waitFor();
    await page.getByRole('link', { name: 'All actors' }).waitFor();
    await expectNoAxeViolations(page, 'unknown actor');
    await page.goto(`${board.baseUrl}/app/somewhere/else`);
    await heading('There is no such screen').waitFor();
    await expectNoAxeViolations(page, 'unknown screen');
  });
});
