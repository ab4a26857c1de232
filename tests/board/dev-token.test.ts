import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { authSettingsFor } from '../../src/auth/dev-identity';
import { boardFor } from '../../src/board/board.settings';
import { loadConfig } from '../../src/config';
import { buildApp, createTestContext, testBoard, testConfig, type TestContext } from '../kit/context';
import { AUDIENCE } from '../kit/issuer';

const run = promisify(execFile);

let ctx: TestContext;
let scratch: string;
/** The app of a server with no issuer (development tokens), behind one trusted proxy hop. */
let devApp: RequestListener;

beforeAll(async () => {
  ctx = await createTestContext();
  scratch = mkdtempSync(path.join(tmpdir(), 'casting-dev-token-'));
  const env = { NODE_ENV: 'test', DEV_KEY_FILE: path.join(scratch, 'dev-key.pem') };
  devApp = buildApp(ctx.db, ctx.issuer, {
    config: testConfig({ trustProxy: 1 }),
    auth: authSettingsFor(loadConfig(env)),
    board: testBoard(env),
  });
});
afterAll(async () => {
  await ctx.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** `app` on a real socket at `host`, so the TCP peer is whatever connects. */
async function listen(app: RequestListener, host: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const NOT_FOUND = { success: false, error: 404, code: 'not_found', message: 'No route for POST /app/dev-token' };

describe('POST /app/dev-token from this machine, with development tokens accepted', () => {
  it.each(['assistant', 'director', 'producer'] as const)(
    'When the %s role is asked for, then it answers a token the API accepts with that role’s permissions',
    async (role) => {
      const api = ctx.clientFor(devApp);
      const res = await api.post('/app/dev-token').send({ role });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, token: expect.any(String) });
      expect(res.headers['cache-control']).toBe('no-store');
      const me = await api.get('/me').set('Authorization', `Bearer ${res.body.token}`);
      expect(me.status).toBe(200);
      expect(me.body.sub).toBe(`dev|${role}`);
      const write = await api
        .post('/movies')
        .set('Authorization', `Bearer ${res.body.token}`)
        .send({ title: 'Heat', release_date: '1995-12-15' });
      expect(write.status).toBe(role === 'producer' ? 201 : 403);
    },
  );

  it('When X-Forwarded-For claims another address and trust proxy believes it, then the loopback peer still gets its token', async () => {
    const api = ctx.clientFor(devApp);
    const res = await api.post('/app/dev-token').set('X-Forwarded-For', '203.0.113.9').send({ role: 'producer' });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
  });

  it('When the peer is ::ffff:127.0.0.1 (IPv4 on a dual-stack socket), then it is loopback too', async () => {
    const server = await listen(devApp, '::');
    try {
      const port = new URL(server.url).port;
      const res = await fetch(`http://127.0.0.1:${port}/app/dev-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Connection: 'close' },
        body: '{"role":"assistant"}',
      });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['an unknown role', { role: 'admin' }],
    ['no role', {}],
    ['an extra field', { role: 'producer', admin: true }],
  ])('When the body has %s, then it answers 422 validation_failed', async (_label, body) => {
    const res = await ctx.clientFor(devApp).post('/app/dev-token').send(body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, error: 422, code: 'validation_failed', details: expect.any(Array) });
  });

  it('When the body is not JSON, then it answers 415; when it is broken JSON, 400', async () => {
    const api = ctx.clientFor(devApp);
    expect((await api.post('/app/dev-token').set('Content-Type', 'text/plain').send('role=producer')).status).toBe(415);
    expect((await api.post('/app/dev-token').set('Content-Type', 'application/json').send('{"role":')).status).toBe(400);
  });

  it('When GET /app/dev-token, then it answers 405 naming POST', async () => {
    const res = await ctx.clientFor(devApp).get('/app/dev-token');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });
});

describe('POST /app/dev-token where development tokens are not accepted', () => {
  it('When an issuer is configured (token mode), then even a loopback peer gets exactly the unknown-route 404', async () => {
    const res = await ctx.api.post('/app/dev-token').send({ role: 'producer' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
    expect((await ctx.api.post('/nowhere').send({ role: 'producer' })).body).toEqual({
      ...NOT_FOUND,
      message: 'No route for POST /nowhere',
    });
  });

  it('When in production (Auth0 mode), then it is the unknown-route 404 whatever the body or method', async () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      ISSUER_BASE_URL: 'https://t.auth0.com/',
      AUDIENCE,
      DATABASE_URL: 'postgres://x/y',
      AUTH0_CLIENT_ID: 'spa',
    });
    const api = ctx.clientFor(buildApp(ctx.db, ctx.issuer, { config: testConfig({ env: 'production' }), board: boardFor(production) }));
    expect((await api.post('/app/dev-token').send({ role: 'producer' })).body).toEqual(NOT_FOUND);
    expect((await api.post('/app/dev-token').set('Content-Type', 'text/plain').send('x')).status).toBe(404);
    expect((await api.get('/app/dev-token')).status).toBe(404);
    expect((await api.post('/app/DEV-Token').send({ role: 'producer' })).status).toBe(404);
  });

  it('When NODE_ENV=production has no issuer, then no board can be built that signs development tokens', () => {
    expect(() => boardFor({ env: 'production', auth: null, auth0ClientId: null, devKeyFile: path.join(scratch, 'never.pem') })).toThrow(
      /never accepts development tokens/,
    );
  });
});

/**
 * A peer that is not loopback, for real: a network namespace joined to this one by a veth pair, the
 * server on the host side's address, and a client process run inside the namespace. Needs root and
 * iproute2 (`.ci/run` installs it); skipped elsewhere, saying why.
 */
const whyNoNamespace = (): string | null => {
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    require('node:child_process').execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return null;
  } catch {
    return '`ip` (iproute2) is not installed';
  }
};
const skipReason = whyNoNamespace();
if (skipReason) process.stderr.write(`tests/board/dev-token.test.ts: skipping the network-namespace test: ${skipReason}\n`);
const inNamespace = skipReason ? describe.skip : describe;

inNamespace('POST /app/dev-token from another machine (a network namespace)', () => {
  const id = `${(process.pid % 1000).toString(36)}${randomBytes(3).toString('hex')}`;
  const ns = `cab-${id}`;
  const hostSide = `cah${id}`;
  const nsSide = `can${id}`;
  const subnet = `10.200.${randomInt(256)}`;
  const base = randomInt(64) * 4;
  const hostAddress = `${subnet}.${base + 1}`;
  const nsAddress = `${subnet}.${base + 2}`;
  let server: Awaited<ReturnType<typeof listen>> | undefined;

  const ip = (...args: string[]) => run('ip', args);
  /** Runs `fetch` inside the namespace and returns the status, headers and body it saw. */
  const fetchFromNamespace = async (url: string, init: RequestInit) => {
    const script = `fetch(${JSON.stringify(url)}, ${JSON.stringify(init)}).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.json() })))`;
    const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '-e', script]);
    return JSON.parse(stdout) as { status: number; body: unknown };
  };

  beforeAll(async () => {
    await ip('netns', 'add', ns);
    await ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
    await ip('link', 'set', nsSide, 'netns', ns);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    await ip('link', 'set', hostSide, 'up');
    await ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsSide);
    await ip('netns', 'exec', ns, 'ip', 'link', 'set', nsSide, 'up');
    server = await listen(devApp, hostAddress);
  });
  afterAll(async () => {
    await server?.close();
    // Deleting the namespace deletes its end of the pair, and with it the host's end; each step runs even if one fails.
    await ip('netns', 'del', ns).catch(() => undefined);
    await ip('link', 'del', hostSide).catch(() => undefined);
  });

  const post = (headers: Record<string, string>, body: string) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

  it('When a peer at 10.200.x.2 asks, even claiming X-Forwarded-For: 127.0.0.1 behind a trusted proxy, then it gets the unknown-route 404', async () => {
    // The server answers that peer: the 404 is the server's, not the network's.
    expect(await fetchFromNamespace(`${server!.url}/app/config.json`, {})).toEqual({ status: 200, body: { mode: 'development' } });

    expect(await fetchFromNamespace(`${server!.url}/app/dev-token`, post({}, '{"role":"producer"}'))).toEqual({
      status: 404,
      body: NOT_FOUND,
    });
    const spoofed = post({ 'X-Forwarded-For': '127.0.0.1' }, '{"role":"producer"}');
    expect(await fetchFromNamespace(`${server!.url}/app/dev-token`, spoofed)).toEqual({ status: 404, body: NOT_FOUND });
    // Nothing about the route shows through: a bad body is not a 422, another method not a 405.
    expect(await fetchFromNamespace(`${server!.url}/app/dev-token`, post({}, '{"role":"admin"}'))).toEqual({
      status: 404,
      body: NOT_FOUND,
    });
    expect((await fetchFromNamespace(`${server!.url}/app/dev-token`, {})).status).toBe(404);
  });
});
