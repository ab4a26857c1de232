import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { authSettingsFor, DEV_AUDIENCE, DEV_ISSUER, devToken, loadOrCreateDevKey } from '../../src/auth/dev-identity';
import { ROLES } from '../../src/auth/permissions';
import { TokenCache } from '../../src/auth/token-cache';
import { roleClaims, signJwt } from '../../src/auth/tokens';
import { ConfigError, loadConfig } from '../../src/config';
import { countRows, createTestContext, type TestContext, testDeps } from '../kit/context';
import { AUDIENCE } from '../kit/issuer';
import { newcomerEnv, runScript, tempDir } from '../kit/commands';

const execFileAsync = promisify(execFile);
let ctx: TestContext;
const temp = tempDir();
const keyFile = path.join(temp.dir, 'keys', 'dev-signing-key.pem');
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  temp.remove();
  await ctx.close();
});
beforeEach(() => ctx.reset());

const devApp = () =>
  request(
    createApp({
      ...testDeps(),
      db: ctx.db,
      auth: authSettingsFor({ env: 'development', auth: null, tokenCacheSize: 1000, devKeyFile: keyFile }),
      logger: pino({ level: 'silent' }),
    }),
  );
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the development key', () => {
  it('is created once, owner-only (600) in an owner-only folder, and reused', () => {
    const pem = loadOrCreateDevKey(keyFile);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(path.dirname(keyFile))).toBe(0o700);
    expect(loadOrCreateDevKey(keyFile)).toBe(pem);
    expect(readFileSync(keyFile, 'utf8')).toBe(pem);
  });

  it('is made owner-only again when it was left readable by others', () => {
    const loose = path.join(temp.dir, 'loose.pem');
    writeFileSync(loose, loadOrCreateDevKey(keyFile));
    chmodSync(loose, 0o644);
    loadOrCreateDevKey(loose);
    expect(mode(loose)).toBe(0o600);
  });

  it('is the same whole key for processes that start together (WEB_CONCURRENCY workers)', async () => {
    const shared = path.join(temp.dir, 'race', 'dev-signing-key.pem');
    const script = `process.stdout.write(require(${JSON.stringify(path.join(__dirname, '../../src/auth/dev-identity'))}).loadOrCreateDevKey(${JSON.stringify(shared)}))`;
    const racers = Array.from({ length: 4 }, () =>
      execFileAsync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script]),
    );
    const keys = (await Promise.all(racers)).map((r) => r.stdout);
    expect(keys[0]).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(new Set(keys)).toEqual(new Set([readFileSync(shared, 'utf8')]));
    expect(readdirSync(path.dirname(shared))).toEqual(['dev-signing-key.pem']);
  });

  it('is under .data/, which git ignores, unless DEV_KEY_FILE says otherwise', () => {
    expect(loadConfig({}).devKeyFile).toBe('.data/dev-signing-key.pem');
    expect(loadConfig({ DEV_KEY_FILE: '/tmp/k.pem' }).devKeyFile).toBe('/tmp/k.pem');
    expect(readFileSync(path.join(__dirname, '../../.gitignore'), 'utf8')).toMatch(/^\.data\/$/m);
  });
});

describe('development tokens on a server without an issuer', () => {
  it('are accepted with the permissions of their role, through the same permission checks', async () => {
    const pem = loadOrCreateDevKey(keyFile);
    const list = await devApp()
      .get('/actors')
      .set('Authorization', `Bearer ${devToken('assistant', pem)}`);
    expect(list.status).toBe(200);
    const denied = await devApp()
      .post('/movies')
      .set('Authorization', `Bearer ${devToken('director', pem)}`)
      .send({ title: 'Heat', release_date: '1995-12-15' });
    expect(denied.status).toBe(403);
    const created = await devApp()
      .post('/movies')
      .set('Authorization', `Bearer ${devToken('producer', pem)}`)
      .send({ title: 'Heat', release_date: '1995-12-15' });
    expect(created.status).toBe(201);
    expect(await countRows(ctx.db, 'movies')).toBe(1);
  });

  it('carry the contract permissions and expire after 24 hours', () => {
    const claims = claimsOf(devToken('director', loadOrCreateDevKey(keyFile)));
    expect(claims).toMatchObject({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, permissions: [...ROLES.director] });
    expect(claims.exp - claims.iat).toBe(24 * 3600);
  });

  it('are refused when signed by another key', async () => {
    const other = tempDir();
    try {
      const forged = devToken('producer', loadOrCreateDevKey(path.join(other.dir, 'k.pem')));
      const res = await devApp().get('/actors').set('Authorization', `Bearer ${forged}`);
      expect(res.status).toBe(401);
    } finally {
      other.remove();
    }
  });
});

describe('a server with an issuer configured', () => {
  it('refuses development tokens, even ones claiming its issuer and audience', async () => {
    const pem = loadOrCreateDevKey(keyFile);
    const plain = await ctx.api
      .post('/actors')
      .set('Authorization', `Bearer ${devToken('producer', pem)}`)
      .send({ name: 'Ana', age: 30, gender: 'female' });
    expect(plain.status).toBe(401);
    const mimic = signJwt(roleClaims({ issuer: ctx.issuer.url, audience: AUDIENCE, role: 'producer' }), pem, ctx.issuer.kid);
    const res = await ctx.api.post('/actors').set('Authorization', `Bearer ${mimic}`).send({ name: 'Ana', age: 30, gender: 'female' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it('uses the issuer, not the development key, with AUTH_FETCH_TIMEOUT_MS as the deadline of its key fetches', () => {
    const settings = authSettingsFor({
      env: 'development',
      auth: { issuerBaseURL: 'https://t.auth0.com/', audience: 'a' },
      authFetchTimeoutMs: 1234,
      tokenCacheSize: 7,
      devKeyFile: keyFile,
    });
    expect(settings).toEqual({
      kind: 'issuer',
      issuerBaseURL: 'https://t.auth0.com/',
      audience: 'a',
      keyFetch: { timeoutMs: 1234 },
      tokenCache: expect.any(TokenCache),
    });
  });
});

describe('production', () => {
  const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db.example.com/x' };

  it.each([
    ['nothing about auth', {}],
    ['only DEV_KEY_FILE', { DEV_KEY_FILE: '/tmp/k.pem' }],
    ['only an audience', { AUDIENCE: 'a' }],
    ['blank issuer and audience', { ISSUER_BASE_URL: ' ', AUDIENCE: '' }],
  ])('refuses to start with %s', (_label, env) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
  });

  it('always has an issuer when it starts, so development tokens cannot be switched on', () => {
    const config = loadConfig({ ...base, ISSUER_BASE_URL: 'https://t.auth0.com/', AUDIENCE: 'a', DEV_KEY_FILE: keyFile });
    expect(authSettingsFor(config).kind).toBe('issuer');
  });

  it('refuses development tokens even when handed a config without an issuer', () => {
    expect(() => authSettingsFor({ env: 'production', auth: null, tokenCacheSize: 1000, devKeyFile: keyFile })).toThrow(
      /never accepts development tokens/,
    );
  });
});

describe('npm run token', () => {
  it('prints a token for the role that the development server accepts', async () => {
    const out = await runScript('token', ['producer'], newcomerEnv(keyFile));
    expect(out.code).toBe(0);
    const token = out.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(claimsOf(token).permissions).toEqual([...ROLES.producer]);
    const res = await devApp().delete('/movies/424242').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
  });

  it.each([[[]], [['admin']]])('prints the usage and exits 2 for %j', async (args) => {
    const out = await runScript('token', args, newcomerEnv(keyFile));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('usage: npm run token -- assistant|director|producer');
    expect(out.stdout).toBe('');
  });

  it('refuses in production', async () => {
    const out = await runScript(
      'token',
      ['producer'],
      newcomerEnv(keyFile, {
        NODE_ENV: 'production',
        ISSUER_BASE_URL: 'https://t.auth0.com/',
        AUDIENCE: 'a',
        DATABASE_URL: 'postgres://u@h/d',
      }),
    );
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
  });

  it('warns that a server with an issuer will refuse the token', async () => {
    const out = await runScript('token', ['assistant'], newcomerEnv(keyFile, { ISSUER_BASE_URL: 'https://t.auth0.com/', AUDIENCE: 'a' }));
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('the server will refuse this token');
  });
});
