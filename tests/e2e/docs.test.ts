import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { BrowserContext } from 'playwright-core';
import { createApp } from '../../src/app';
import { authSettingsFor, devToken, loadOrCreateDevKey } from '../../src/auth/dev-identity';
import { seed } from '../../src/db/migrate';
import { createTestContext, type TestContext, testDeps } from '../kit/context';
import { ROOT } from '../kit/commands';
import { describeInChromium, launchBrowser } from './kit/browser';

/*
 * /docs in a real browser: Debian's Chromium (never a downloaded one) opens the page served by the
 * app on the test database, authorizes with a development token, runs GET /actors from the page and
 * sees the sample actors. UPDATE_DOCS_SCREENSHOT=1 (npm run docs:screenshot) keeps the screenshot
 * as docs/docs-screenshot.png for the README; otherwise it goes to a temporary folder.
 */
describeInChromium('GET /docs in headless Chromium', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'casting-agency-e2e-'));
  const screenshot =
    process.env.UPDATE_DOCS_SCREENSHOT === '1' ? path.join(ROOT, 'docs/docs-screenshot.png') : path.join(scratch, 'docs.png');
  let ctx: TestContext;
  let server: Server;
  let browser: BrowserContext;
  let baseUrl = '';
  const key = loadOrCreateDevKey(path.join(scratch, 'dev-signing-key.pem'));

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.reset();
    await seed(ctx.db);
    const app = createApp({
      ...testDeps(),
      db: ctx.db,
      auth: authSettingsFor({
        env: 'development',
        auth: null,
        tokenCacheSize: 1000,
        devKeyFile: path.join(scratch, 'dev-signing-key.pem'),
      }),
      logger: pino({ level: 'silent' }),
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser(scratch);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ctx?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('authorizes with a development token, runs GET /actors and shows the sample actors', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const outside: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(baseUrl) || r.url().startsWith('data:') || outside.push(r.url())));

    await page.goto(`${baseUrl}/docs`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Casting Agency API' }).waitFor();

    await page.locator('.auth-wrapper button.authorize').click();
    await page.locator('.modal-ux input').fill(devToken('assistant', key));
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();

    const operation = page.locator('#operations-actors-listActors');
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.execute').click();
    const response = operation.locator('.live-responses-table .response');
    await response.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
    const body = await response.locator('.response-col_description').innerText();
    for (const name of ['Kevin', 'Diego', 'Daniel', 'Miguel']) expect(body).toContain(name);
    expect(body).toContain('"all_actors": 4');

    // From the operation's header down to the live answer: the part worth showing in the README.
    // Bounding boxes are relative to the viewport, the clip of a full-page screenshot to the page.
    const scrollY = await page.evaluate(() => window.scrollY);
    const top = (await operation.boundingBox())!;
    const bottom = (await operation.locator('.live-responses-table').first().boundingBox())!;
    const clip = { x: top.x, y: top.y + scrollY, width: top.width, height: bottom.y + bottom.height - top.y };
    await page.screenshot({ path: screenshot, fullPage: true, clip });
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
    expect(outside).toEqual([]);
  });
});
