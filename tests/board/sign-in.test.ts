import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuthSettings } from '../../src/auth/authenticate';
import { authSettingsFor } from '../../src/auth/dev-identity';
import { loadConfig } from '../../src/config';
import { buildApp, createTestContext, testBoard, type TestContext } from '../kit/context';
import { AUDIENCE } from '../kit/issuer';
import type { Client } from '../kit/clients';

let ctx: TestContext;
let scratch: string;
/** The app as the server builds it from each environment, with its answers checked against the document. */
let modes: Record<'development' | 'auth0' | 'token', Client>;
const TENANT = 'https://casting-test.eu.auth0.com/';

beforeAll(async () => {
  ctx = await createTestContext();
  scratch = mkdtempSync(path.join(tmpdir(), 'casting-sign-in-'));
  const development = { DEV_KEY_FILE: path.join(scratch, 'dev-key.pem') };
  const appFor = (env: NodeJS.ProcessEnv, auth?: AuthSettings) =>
    ctx.clientFor(buildApp(ctx.db, ctx.issuer, { board: testBoard(env), ...(auth ? { auth } : {}) }));
  modes = {
    development: appFor(development, authSettingsFor(loadConfig({ NODE_ENV: 'test', ...development }))),
    auth0: appFor({ ISSUER_BASE_URL: TENANT, AUDIENCE, AUTH0_CLIENT_ID: 'k3yFr0mTh3SpaApp' }),
    token: appFor({ ISSUER_BASE_URL: TENANT, AUDIENCE }),
  };
});
afterAll(async () => {
  await ctx.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The CSP as a map of directive → sources. */
const cspOf = (header: unknown): Record<string, string> =>
  Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(' '))
      .map(([name, ...sources]) => [name!, sources.join(' ')]),
  );

describe('GET /app/config.json', () => {
  it('When development tokens are accepted (no issuer), then it answers {mode: "development"}', async () => {
    const res = await modes.development.get('/app/config.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mode: 'development' });
  });

  it('When an issuer and AUTH0_CLIENT_ID are set, then it answers Auth0 mode with the tenant origin (no slash), client id and audience', async () => {
    const res = await modes.auth0.get('/app/config.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mode: 'auth0',
      domain: 'https://casting-test.eu.auth0.com',
      clientId: 'k3yFr0mTh3SpaApp',
      audience: AUDIENCE,
    });
  });

  it('When the issuer is a plain-http test tenant with a port, then the domain keeps its scheme and port', async () => {
    const local = ctx.clientFor(
      buildApp(ctx.db, ctx.issuer, { board: testBoard({ ISSUER_BASE_URL: 'http://127.0.0.1:4567/', AUDIENCE, AUTH0_CLIENT_ID: 'spa' }) }),
    );
    expect((await local.get('/app/config.json')).body).toMatchObject({ mode: 'auth0', domain: 'http://127.0.0.1:4567' });
  });

  it('When an issuer is set without AUTH0_CLIENT_ID, then it answers {mode: "token"}', async () => {
    const res = await modes.token.get('/app/config.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mode: 'token' });
  });

  it('When asked with no token, then it answers (and so does HEAD), revalidated on every load', async () => {
    const res = await modes.token.get('/app/config.json');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect((await modes.token.head('/app/config.json')).status).toBe(200);
  });

  it('When POST /app/config.json, then it answers 405 with Allow', async () => {
    const res = await modes.token.post('/app/config.json');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});

describe('AUTH0_CLIENT_ID', () => {
  it('When it is blank, then it counts as unset; when it holds a space or a slash, then the server refuses to start naming it', () => {
    expect(loadConfig({ AUTH0_CLIENT_ID: ' ' }).auth0ClientId).toBeNull();
    expect(loadConfig({ AUTH0_CLIENT_ID: 'abc_DEF-12.3' }).auth0ClientId).toBe('abc_DEF-12.3');
    expect(() => loadConfig({ AUTH0_CLIENT_ID: 'a b' })).toThrow(/AUTH0_CLIENT_ID/);
    expect(() => loadConfig({ AUTH0_CLIENT_ID: 'a/b' })).toThrow(/AUTH0_CLIENT_ID/);
  });
});

describe('the Content-Security-Policy per sign-in mode', () => {
  it.each(['development', 'token'] as const)(
    'When in %s mode, then it stays same-origin: no connect-src or frame-src beyond self',
    async (mode) => {
      const csp = cspOf((await modes[mode].get('/app/config.json')).headers['content-security-policy']);
      expect(csp).toMatchObject({
        'default-src': "'self'",
        'script-src': "'self'",
        'script-src-attr': "'none'",
        'frame-ancestors': "'none'",
      });
      expect(csp).not.toHaveProperty('connect-src');
      expect(csp).not.toHaveProperty('frame-src');
      expect(JSON.stringify(csp)).not.toContain('auth0.com');
    },
  );

  it('When in Auth0 mode, then connect-src and frame-src add the tenant origin, and nothing else changes', async () => {
    const auth0 = cspOf((await modes.auth0.get('/app/')).headers['content-security-policy']);
    const token = cspOf((await modes.token.get('/app/')).headers['content-security-policy']);
    expect(auth0['connect-src']).toBe("'self' https://casting-test.eu.auth0.com");
    expect(auth0['frame-src']).toBe("'self' https://casting-test.eu.auth0.com");
    const { 'connect-src': _c, 'frame-src': _f, ...rest } = auth0;
    expect(rest).toEqual(token);
    expect(auth0['script-src']).toBe("'self'");
  });
});
