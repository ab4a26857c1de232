import { z } from 'zod';

/** Empty strings (a blank line in `.env`) count as "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL');

const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' });

const EnvSchema = z.object({
  NODE_ENV: optional(z.string()),
  PORT: optional(z.coerce.number().int().min(0).max(65535)),
  DATABASE_URL: optional(postgresUrl),
  DATABASE_SSL: optional(z.enum(['auto', 'off', 'no-verify', 'verify'])),
  PG_POOL_MAX: optional(z.coerce.number().int().min(1).max(100)),
  PG_CONNECT_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(60_000)),
  PG_QUERY_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(120_000)),
  EMBEDDED_DB_DIR: optional(z.string()),
  ISSUER_BASE_URL: optional(httpsUrl),
  AUTH0_DOMAIN: optional(z.string().regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/, 'must be a host name such as tenant.auth0.com')),
  AUDIENCE: optional(z.string()),
  API_AUDIENCE: optional(z.string()),
  CORS_ORIGINS: optional(z.string()),
  RATE_LIMIT_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)),
  RATE_LIMIT_WRITES_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  DEV_KEY_FILE: optional(z.string()),
  WEB_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)),
  TOKEN_CACHE_SIZE: optional(z.coerce.number().int().min(0).max(100_000)),
  SEARCH_CACHE_SIZE: optional(z.coerce.number().int().min(0).max(100_000)),
  REDIS_URL: optional(redisUrl),
});

export type DatabaseSsl = 'auto' | 'off' | 'no-verify' | 'verify';

/** How long a request may wait for a connection, and for one query's answer, before it gets a 503. */
export type DatabaseTimeouts = { connectTimeoutMs: number; queryTimeoutMs: number };

/** Requests per caller per minute; 0 turns that limit off. */
export type RateLimits = Readonly<{ readsPerMinute: number; writesPerMinute: number }>;

export type Config = Readonly<{
  env: string;
  port: number;
  database: Readonly<
    ({ kind: 'postgres'; url: string; ssl: DatabaseSsl; poolMax: number } | { kind: 'embedded'; dir: string; poolMax: number }) &
      DatabaseTimeouts
  >;
  /** `null` when no issuer is configured: only allowed outside production. */
  auth: Readonly<{ issuerBaseURL: string; audience: string }> | null;
  corsOrigins: readonly string[] | '*';
  rateLimit: RateLimits;
  logLevel: string;
  /** The development signing key (only read when `auth` is null, never in production). */
  devKeyFile: string;
  /** Processes serving requests (Node's cluster, Heroku's WEB_CONCURRENCY); src/cluster.ts decides how many run. */
  webConcurrency: number;
  /** Verified tokens kept in memory (src/auth/token-cache.ts); 0 verifies every request. */
  tokenCacheSize: number;
  /** Search results (lists with `q`) kept per table while the table is unchanged (src/db/list-cache.ts); 0 runs every search. */
  searchCacheSize: number;
  /** Where every process and dyno keeps the rate-limit counters (src/http/rate-limit-redis.ts); `null`: in each process. */
  rateLimitRedisUrl: string | null;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Auth0's own variable holds a bare domain (`tenant.auth0.com`); the library wants a URL. */
const issuerFromDomain = (domain: string): string => {
  const url = /^https?:\/\//.test(domain) ? domain : `https://${domain}`;
  return url.endsWith('/') ? url : `${url}/`;
};

const parseOrigins = (raw: string | undefined): readonly string[] | '*' => {
  if (raw === undefined || raw.trim() === '*') return '*';
  return Object.freeze(raw.split(',').map((o) => o.trim()).filter(Boolean));
};

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const issuer = e.ISSUER_BASE_URL ?? (e.AUTH0_DOMAIN && issuerFromDomain(e.AUTH0_DOMAIN));
  const audience = e.AUDIENCE ?? e.API_AUDIENCE;

  if (production) {
    const missing = [
      !issuer && 'ISSUER_BASE_URL (or AUTH0_DOMAIN)',
      !audience && 'AUDIENCE (or API_AUDIENCE)',
      !e.DATABASE_URL && 'DATABASE_URL',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(`NODE_ENV=production needs ${missing.join(', ')}`);
    }
  }
  if (Boolean(issuer) !== Boolean(audience)) {
    throw new ConfigError(
      issuer ? 'AUDIENCE (or API_AUDIENCE) is required when an issuer is set' : 'ISSUER_BASE_URL (or AUTH0_DOMAIN) is required when an audience is set',
    );
  }

  const poolMax = e.PG_POOL_MAX ?? 10;
  const timeouts = { connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS ?? 5_000, queryTimeoutMs: e.PG_QUERY_TIMEOUT_MS ?? 10_000 };
  return Object.freeze({
    env: e.NODE_ENV ?? 'development',
    port: e.PORT ?? 3000,
    database: Object.freeze(
      e.DATABASE_URL
        ? { kind: 'postgres' as const, url: e.DATABASE_URL, ssl: e.DATABASE_SSL ?? 'auto', poolMax, ...timeouts }
        : { kind: 'embedded' as const, dir: e.EMBEDDED_DB_DIR ?? '.data/pglite', poolMax, ...timeouts },
    ),
    auth: issuer && audience ? Object.freeze({ issuerBaseURL: issuer, audience }) : null,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    rateLimit: Object.freeze({ readsPerMinute: e.RATE_LIMIT_PER_MINUTE ?? 300, writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE ?? 60 }),
    logLevel: e.LOG_LEVEL ?? (production ? 'info' : 'info'),
    devKeyFile: e.DEV_KEY_FILE ?? '.data/dev-signing-key.pem',
    webConcurrency: e.WEB_CONCURRENCY ?? 1,
    tokenCacheSize: e.TOKEN_CACHE_SIZE ?? 1000,
    searchCacheSize: e.SEARCH_CACHE_SIZE ?? 500,
    rateLimitRedisUrl: e.REDIS_URL ?? null,
  });
}
