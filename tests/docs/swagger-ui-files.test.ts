import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../kit/context';

/*
 * Under /docs the app serves the Swagger UI page and the files it loads, and nothing else of the
 * swagger-ui-dist folder, whatever the spelling of the path: the rest is our JSON 404. Requests go
 * out with the path exactly as written (no client-side `..` or `.` resolution).
 */
let ctx: TestContext;
let server: Server;
beforeAll(async () => {
  ctx = await createTestContext();
  server = createServer(ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

type Answer = { status: number; type: string; allow: string; body: string };
const send = (method: string, path: string) =>
  new Promise<Answer>((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), allow: String(res.headers.allow ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });

const LEAKS = [
  '/docs/package.json',
  '/docs/%70ackage.json',
  '/docs/package%2ejson',
  '/docs/package%2Ejson',
  '/docs//x',
  '/docs/./x',
  '/docs/../package.json',
  '/docs/%2e%2e/package.json',
  '/docs/x',
  '/docs/index.html',
  '/docs/index.js',
  '/docs/absolute-path.js',
  '/docs/swagger-ui.js',
  '/docs/swagger-ui-es-bundle.js',
  '/docs/swagger-ui.css.map',
  '/docs/swagger-ui-bundle.js.map',
  '/docs/oauth2-redirect.html',
  '/docs/swagger-initializer.js',
  '/docs/README.md',
  '/docs/LICENSE',
  '/docs//swagger-ui.css',
  '/docs/./swagger-ui.css',
  '/docs/swagger-ui.css/',
  '/docs/x/swagger-ui-init.js',
  '/docs/%E0%A4%A',
  '/docs/%zz',
  '/docs/%2F',
  '/docs/%2e/',
];

const ASSETS: [string, RegExp][] = [
  ['/docs/swagger-ui.css', /^text\/css/],
  ['/docs/swagger-ui-bundle.js', /^(text|application)\/javascript/],
  ['/docs/swagger-ui-standalone-preset.js', /^(text|application)\/javascript/],
  ['/docs/swagger-ui-init.js', /^(text|application)\/javascript/],
  ['/docs/favicon-32x32.png', /^image\/png/],
  ['/docs/favicon-16x16.png', /^image\/png/],
];

describe('GET /docs/*', () => {
  it.each(LEAKS)('When the path is %s, then it answers our JSON 404', async (path) => {
    const res = await send('GET', path);
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ success: false, error: 404, code: 'not_found', message: expect.stringMatching(/\S/) });
  });

  it.each(ASSETS)('When the page loads %s, then it is served with its content type', async (path, type) => {
    const res = await send('GET', path);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(type);
    expect(res.body.length).toBeGreaterThan(0);
  });

  it('When the page itself is asked for, then /docs redirects to /docs/ and /docs/ is the page, which loads only the allowed assets', async () => {
    const redirect = await send('GET', '/docs');
    expect(redirect.status).toBe(301);
    const page = await send('GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    const loaded = [...page.body.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `/docs/${m[1]}`);
    expect(loaded.sort()).toEqual(ASSETS.map(([path]) => path).sort());
  });

  it('When an asset is asked for with another method, then it answers our JSON 405 with Allow', async () => {
    const res = await send('POST', '/docs/swagger-ui-init.js');
    expect(res.status).toBe(405);
    expect(res.allow).toBe('GET, HEAD, OPTIONS');
    expect(JSON.parse(res.body)).toMatchObject({ success: false, error: 405, code: 'method_not_allowed' });
  });
});
