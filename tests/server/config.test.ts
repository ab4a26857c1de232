import { loadConfig } from '../../src/config';
import { connectionOptions } from '../../src/db/db';

const PROD = {
  NODE_ENV: 'production',
  ISSUER_BASE_URL: 'https://t.auth0.com/',
  AUDIENCE: 'casting',
  DATABASE_URL: 'postgres://u:p@db.example.com:5432/d',
};

describe('loadConfig', () => {
  it('defaults to port 3000, the embedded database in .data/pglite and no issuer', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'embedded', dir: '.data/pglite', poolMax: 10, connectTimeoutMs: 5000, queryTimeoutMs: 10000 });
    expect(config.auth).toBeNull();
    expect(config.corsOrigins).toBe('*');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', ISSUER_BASE_URL: '' }).database.kind).toBe('embedded');
  });

  it('uses DATABASE_URL for real PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }).database).toMatchObject({
      kind: 'postgres',
      url: 'postgresql://localhost/x',
    });
  });

  it('reads ISSUER_BASE_URL and AUDIENCE', () => {
    expect(loadConfig({ ISSUER_BASE_URL: 'https://t.auth0.com/', AUDIENCE: 'a' }).auth).toEqual({
      issuerBaseURL: 'https://t.auth0.com/',
      audience: 'a',
    });
  });

  it.each([['t.auth0.com'], ['https://t.auth0.com'], ['https://t.auth0.com/']])(
    'accepts AUTH0_DOMAIN=%s and API_AUDIENCE as aliases',
    (domain) => {
      expect(loadConfig({ AUTH0_DOMAIN: domain, API_AUDIENCE: 'a' }).auth).toEqual({
        issuerBaseURL: 'https://t.auth0.com/',
        audience: 'a',
      });
    },
  );

  it('narrows CORS to CORS_ORIGINS', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['ISSUER_BASE_URL', { ISSUER_BASE_URL: 'not a url', AUDIENCE: 'a' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('stops with a message naming %s when it is bad', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });

  it('requires the audience when an issuer is set, and the reverse', () => {
    expect(() => loadConfig({ ISSUER_BASE_URL: 'https://t.auth0.com/' })).toThrow(/AUDIENCE/);
    expect(() => loadConfig({ AUDIENCE: 'a' })).toThrow(/ISSUER_BASE_URL/);
  });

  it('accepts a complete production configuration', () => {
    expect(loadConfig(PROD).auth).toEqual({ issuerBaseURL: 'https://t.auth0.com/', audience: 'casting' });
  });

  it.each(['ISSUER_BASE_URL', 'AUDIENCE', 'DATABASE_URL'] as const)('refuses production without %s, in one line', (name) => {
    const env: Record<string, string> = { ...PROD };
    delete env[name];
    if (name === 'ISSUER_BASE_URL') delete env.AUDIENCE;
    expect(() => loadConfig(env)).toThrow(new RegExp(`NODE_ENV=production needs .*${name}`));
  });
});

describe('NODE_ENV and the issuer in production', () => {
  it.each(['Production', 'PRODUCTION', ' production '])('treats NODE_ENV=%j as production', (value) => {
    expect(loadConfig({ ...PROD, NODE_ENV: value }).env).toBe('production');
    expect(() => loadConfig({ NODE_ENV: value })).toThrow(/NODE_ENV=production needs/);
  });

  it.each(['staging', 'prod', 'dev', 'produccion'])('refuses NODE_ENV=%s, naming the variable', (value) => {
    expect(() => loadConfig({ NODE_ENV: value })).toThrow(/NODE_ENV: must be production, development or test/);
  });

  it.each(['development', 'Development', 'test', 'TEST'])('accepts NODE_ENV=%s', (value) => {
    expect(loadConfig({ NODE_ENV: value }).env).toBe(value.toLowerCase());
  });

  it('refuses a plain-HTTP ISSUER_BASE_URL in production, in one line naming the variable', () => {
    const run = () => loadConfig({ ...PROD, ISSUER_BASE_URL: 'http://t.auth0.com/' });
    expect(run).toThrow(/^NODE_ENV=production needs an https:\/\/ issuer: ISSUER_BASE_URL is http:\/\/t\.auth0\.com\/$/);
  });

  it('refuses a plain-HTTP AUTH0_DOMAIN in production, naming the variable', () => {
    const env: Record<string, string> = { ...PROD, AUTH0_DOMAIN: 'http://t.auth0.com' };
    delete env.ISSUER_BASE_URL;
    expect(() => loadConfig(env)).toThrow(/https:\/\/ issuer: AUTH0_DOMAIN/);
  });

  it('still accepts a plain-HTTP issuer outside production (a local stand-in tenant)', () => {
    expect(loadConfig({ ISSUER_BASE_URL: 'http://127.0.0.1:4000/', AUDIENCE: 'a' }).auth?.issuerBaseURL).toBe('http://127.0.0.1:4000/');
  });
});

describe('deadlines and caps', () => {
  it('defaults to a 5 s key fetch, a 30 s request, 20 s for headers and 1 000 connections', () => {
    const config = loadConfig({});
    expect(config.authFetchTimeoutMs).toBe(5000);
    expect(config.http).toEqual({ requestTimeoutMs: 30000, headersTimeoutMs: 20000, maxConnections: 1000 });
  });

  it('reads AUTH_FETCH_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS and MAX_CONNECTIONS', () => {
    const config = loadConfig({
      AUTH_FETCH_TIMEOUT_MS: '800',
      HTTP_REQUEST_TIMEOUT_MS: '10000',
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      MAX_CONNECTIONS: '50',
    });
    expect(config.authFetchTimeoutMs).toBe(800);
    expect(config.http).toEqual({ requestTimeoutMs: 10000, headersTimeoutMs: 5000, maxConnections: 50 });
  });

  it('never lets the headers take longer than the whole request', () => {
    expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '8000' }).http.headersTimeoutMs).toBe(8000);
  });

  it.each([
    ['AUTH_FETCH_TIMEOUT_MS', '0'],
    ['AUTH_FETCH_TIMEOUT_MS', '60000'],
    ['HTTP_REQUEST_TIMEOUT_MS', 'soon'],
    ['HTTP_HEADERS_TIMEOUT_MS', '10'],
    ['MAX_CONNECTIONS', '0'],
    ['RATE_LIMIT_SEARCHES_PER_MINUTE', '-5'],
  ])('stops with a message naming %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe('connectionOptions', () => {
  it('uses TLS without verification for a remote host (Heroku Postgres)', () => {
    expect(connectionOptions('postgres://u:p@ec2.example.com:5432/d', 'auto').ssl).toEqual({ rejectUnauthorized: false });
  });

  it('uses no TLS on localhost', () => {
    expect(connectionOptions('postgres://postgres@127.0.0.1:5432/d', 'auto').ssl).toBe(false);
  });

  it('removes sslmode from the URL so it cannot override the ssl option', () => {
    const options = connectionOptions('postgres://u@db.example.com/d?sslmode=require&application_name=x', 'auto');
    expect(options.connectionString).not.toMatch(/sslmode/);
    expect(options.connectionString).toMatch(/application_name=x/);
    expect(options.ssl).toEqual({ rejectUnauthorized: false });
  });

  it('honours sslmode=disable in auto mode and an explicit DATABASE_SSL over it', () => {
    expect(connectionOptions('postgres://u@db.example.com/d?sslmode=disable', 'auto').ssl).toBe(false);
    expect(connectionOptions('postgres://u@db.example.com/d?sslmode=disable', 'verify').ssl).toEqual({ rejectUnauthorized: true });
  });
});
