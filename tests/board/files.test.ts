import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, createTestContext, testBoard, type TestContext } from '../kit/context';
import type { Client } from '../kit/clients';
import { FIXTURE_ASSETS, FIXTURE_PAGE, fixtureBuild } from './fixture-build';

let ctx: TestContext;
let board: Client;
let build: ReturnType<typeof fixtureBuild>;
beforeAll(async () => {
  build = fixtureBuild();
  ctx = await createTestContext({ board: testBoard(undefined, build.dir) });
  board = ctx.api;
});
afterAll(async () => {
  await ctx.close();
  build.remove();
});

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('GET /app', () => {
  it('When the path has no slash, then it answers 301 to /app/, keeping the query string', async () => {
    const plain = await board.get('/app');
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('/app/');
    const withQuery = await board.get('/app?from=mail');
    expect(withQuery.status).toBe(301);
    expect(withQuery.headers.location).toBe('/app/?from=mail');
  });

  it('When HEAD /app, then it redirects the same way', async () => {
    const res = await board.head('/app');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/app/');
  });
});

describe('GET /app/ and the app’s own screens', () => {
  it('When GET /app/, then it answers the built index.html, as HTML, revalidated on every load', async () => {
    const res = await board.get('/app/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(FIXTURE_PAGE);
  });

  it.each(['/app/actors', '/app/actors?q=al&page=2', '/app/actors/12', '/app/movies/3/edit', '/app/movies/new', '/app/actors/'])(
    'When GET %s (a screen of the app), then it answers the same page with no-cache',
    async (url) => {
      const res = await board.get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toBe(FIXTURE_PAGE);
    },
  );

  it('When HEAD of a screen, then it answers the page’s headers and no body', async () => {
    const res = await board.head('/app/actors/12');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(FIXTURE_PAGE)));
    expect(res.text ?? '').toBe('');
  });

  it('When the page is asked for again with its Last-Modified, then it answers 304 (no-cache revalidates, it does not refetch)', async () => {
    const first = await board.get('/app/');
    const again = await board.get('/app/').set('If-Modified-Since', first.headers['last-modified'] as string);
    expect(again.status).toBe(304);
  });

  it.each([
    ['POST', '/app/'],
    ['DELETE', '/app/actors/12'],
    ['PUT', '/app/assets/index-B2kq9x1Z.js'],
  ] as const)('When %s %s, then it answers 405 with Allow: GET, HEAD, OPTIONS', async (method, url) => {
    const res = await board[method.toLowerCase() as 'post' | 'delete' | 'put'](url);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.body).toMatchObject({ success: false, error: 405, code: 'method_not_allowed' });
  });

  it('When GET /, then it is still the API’s JSON home answer', async () => {
    const res = await board.get('/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, home_route: true });
  });
});

describe('GET /app/assets/<file>', () => {
  it.each(Object.entries(FIXTURE_ASSETS))(
    'When GET %s, then it answers the file as %s, cached a year and immutable',
    async (name, type) => {
      const res = await board.get(`/app/assets/${name}`).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(typeof res.text === 'string' ? res.text : Buffer.from(res.body as Buffer).toString()).toBe(`/* ${name} */`);
    },
  );

  it.each([
    '/app/assets/index-gone1234.js',
    '/app/assets/',
    '/app/assets',
    '/app/assets/../index.html',
    '/app/assets/%2e%2e/index.html',
    '/app/assets/.build-stamp',
    '/app/.build-stamp',
    '/app/favicon.ico',
    '/app/index.html.map',
  ])('When GET %s (no such asset), then it answers our JSON 404, never a page', async (url) => {
    const res = await board.get(url);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ success: false, error: 404, code: 'not_found' });
    expect(res.headers['cache-control']).not.toBe(IMMUTABLE);
  });
});

describe('the board without a build', () => {
  it('When dist/web has no index.html, then the page and its screens answer 503 saying to run the build', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'casting-board-unbuilt-'));
    try {
      const unbuilt = ctx.clientFor(buildApp(ctx.db, ctx.issuer, { board: testBoard(undefined, empty) }));
      for (const url of ['/app/', '/app/actors/12']) {
        const res = await unbuilt.get(url);
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ success: false, error: 503, code: 'web_app_not_built' });
        expect(res.body.message).toContain('npm run build');
      }
      expect((await unbuilt.get('/app/assets/index-B2kq9x1Z.js')).status).toBe(404);
      expect((await unbuilt.get('/app/config.json')).status).toBe(200);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
