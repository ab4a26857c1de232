import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestContext, type TestContext } from '../kit/context';
import { ROOT } from '../kit/commands';

const { ensureWebBuild } = require(path.join(ROOT, 'scripts/web-build.js')) as { ensureWebBuild(): { result: string } };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The `src`/`href` of every element of the page that loads something. */
const referencesOf = (html: string): string[] => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

describe('the built casting board (dist/web, built by the test run’s global setup)', () => {
  it('When the test run started, then the web app built, and building again finds nothing changed', () => {
    expect(process.env.WEB_BUILD_ERROR).toBeUndefined();
    expect(ensureWebBuild().result).toBe('fresh');
  });

  it('When GET /app/, then it is the built page: a module script and styles from /app/assets/, nothing inline, nothing from elsewhere', async () => {
    const res = await ctx.api.get('/app/');
    expect(res.status).toBe(200);
    expect(res.text).toBe(readFileSync(path.join(ROOT, 'dist/web/index.html'), 'utf8'));
    // `script-src 'self'` and `script-src-attr 'none'`: an inline script or handler would not run.
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\/app\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(res.text).not.toMatch(/\son[a-z]+=/i);
    for (const reference of referencesOf(res.text)) expect(reference).toMatch(/^\/app\/assets\//);
  });

  it('When the page’s assets are fetched, then each answers with its type, cached a year and immutable', async () => {
    const page = (await ctx.api.get('/app/')).text;
    const assets = referencesOf(page);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const res = await ctx.api.get(asset);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-type']).toMatch(
        asset.endsWith('.js') ? /^text\/javascript/ : asset.endsWith('.css') ? /^text\/css/ : /./,
      );
    }
  });
});
