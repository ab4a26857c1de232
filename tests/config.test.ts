import { loadConfig } from '../src/config';
import { connectionOptions } from '../src/db/db';

const PROD = { NODE_ENV: 'production', ISSUER_BASE_URL: 'https://t.auth0.com/', AUDIENCE: 'casting', DATABASE_URL: 'postgres://u:p@db.example.com:5432/d' };

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
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }).database).toMatchObject({ kind: 'postgres', url: 'postgresql://localhost/x' });
  });

  it('reads ISSUER_BASE_URL and AUDIENCE', () => {
    expect(loadConfig({ ISSUER_BASE_URL: 'https://t.auth0.com/', AUDIENCE: 'a' }).auth).toEqual({ issuerBaseURL: 'https://t.auth0.com/', audience: 'a' });
  });

  it.each([['t.auth0.com'], ['https://t.auth0.com'], ['https://t.auth0.com/']])('accepts AUTH0_DOMAIN=%s and API_AUDIENCE as aliases', (domain) => {
    expect(loadConfig({ AUTH0_DOMAIN: domain, API_AUDIENCE: 'a' }).auth).toEqual({ issuerBaseURL: 'https://t.auth0.com/', audience: 'a' });
  });

  it('narrows CORS to CORS_ORIGINS', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
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
