import { z } from 'zod';

/** Empty strings (a blank line in `.env`) count as "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL');

const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' });

/** `0`/`false`: trust no proxy; a whole number: that many hops of `X-Forwarded-For` (Heroku's router is one). */
const proxyHops = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === 'false' || /^\d{1,2}$/.test(v), 'must be a number of proxy hops (0-99) or false')
  .transform((v) => (v === 'false' ? 0 : Number(v)));

/** `Production` is production: the value is read in any case, and anything unexpected is refused. */
const nodeEnv = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['production', 'development', 'test'], { error: 'must be production, development or test' }));

const EnvSchema = z.object({
  NODE_ENV: optional(nodeEnv),
  DYNO: optional(z.string()),
  TRUST_PROXY: optional(proxyHops),
  AUTH_FETCH_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(30_000)),
  HTTP_REQUEST_TIMEOUT_MS: optional(z.coerce.number().int().min(1_000).max(300_000)),
  HTTP_HEADERS_TIMEOUT_MS: optional(z.coerce.number().int().min(1_000).max(300_000)),
  MAX_CONNECTIONS: optional(z.coerce.number().int().min(1).max(1_000_000)),
  RATE_LIMIT_SEARCHES_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)),
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
  AUTH0_CLIENT_ID: optional(
    z
      .string()
      .trim()
      .regex(/^[\w.-]{1,128}$/, 'must be an Auth0 client id (letters, digits, ., - and _)'),
  ),
  CORS_ORIGINS: optional(z.string()),
  RATE_LIMIT_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)),
  RATE_LIMIT_WRITES_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  DEV_KEY_FILE: optional(z.string()),
  WEB_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)),
  TOKEN_CACHE_SIZE: optional(z.coerce.number().int().min(0).max(100_000)),
  SEARCH_CACHE_SIZE: optional(z.coerce.number().int().min(0).max(100_000)),
  COUNTED_LISTS: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
  REDIS_URL: optional(redisUrl),
});

export type DatabaseSsl = 'auto' | 'off' | 'no-verify' | 'verify';

/** How long a request may wait for a connection, and for one query's answer, before it gets a 503. */
export type DatabaseTimeouts = { connectTimeoutMs: number; queryTimeoutMs: number };

/** Requests per caller per minute; 0 turns that limit off. `searchesPerMinute`: searches that run against a table (src/http/rate-limit.ts). */
export type RateLimits = Readonly<{ readsPerMinute: number; writesPerMinute: number; searchesPerMinute: number }>;

/** Node's HTTP server limits: a request must arrive whole (headers within `headersTimeoutMs`) or it gets a 408. */
export type HttpLimits = Readonly<{ requestTimeoutMs: number; headersTimeoutMs: number; maxConnections: number }>;

export type Config = Readonly<{
  env: string;
  port: number;
  database: Readonly<
    ({ kind: 'postgres'; url: string; ssl: DatabaseSsl; poolMax: number } | { kind: 'embedded'; dir: string; poolMax: number }) &
      DatabaseTimeouts
  >;
  /** `null` when no issuer is configured: only allowed outside production. */
  auth: Readonly<{ issuerBaseURL: string; audience: string }> | null;
  /** The Auth0 Single Page Application's client id (public) the web app signs in with; `null`: it offers a token field instead. */
  auth0ClientId: string | null;
  corsOrigins: readonly string[] | '*';
  rateLimit: RateLimits;
  /** Proxy hops whose `X-Forwarded-For` entries are trusted for the client address (Express's `trust proxy`). */
  trustProxy: number;
  /** Deadline for each fetch of the issuer's discovery document and keys. */
  authFetchTimeoutMs: number;
  http: HttpLimits;
  logLevel: string;
  /** The development signing key (only read when `auth` is null, never in production). */
  devKeyFile: string;
  /** Processes serving requests (Node's cluster, Heroku's WEB_CONCURRENCY); src/cluster.ts decides how many run. */
  webConcurrency: number;
  /** Verified tokens kept in memory (src/auth/token-cache.ts); 0 verifies every request. */
  tokenCacheSize: number;
  /** Search results (lists with `q`) kept per table while the table is unchanged (src/db/list-cache.ts); 0 runs every search. */
  searchCacheSize: number;
  /** Lists use the kept counts (migration 006) to find totals and pages; false (COUNTED_LISTS=off) counts every match. */
  countedLists: boolean;
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
  return Object.freeze(
    raw
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
};

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const issuerVariable = e.ISSUER_BASE_URL ? 'ISSUER_BASE_URL' : 'AUTH0_DOMAIN';
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
    // The keys that sign every token must not travel in clear text.
    if (issuer && !issuer.startsWith('https://')) {
      throw new ConfigError(`NODE_ENV=production needs an https:// issuer: ${issuerVariable} is ${issuer}`);
    }
  }
  if (Boolean(issuer) !== Boolean(audience)) {
    throw new ConfigError(
      issuer
        ? 'AUDIENCE (or API_AUDIENCE) is required when an issuer is set'
        : 'ISSUER_BASE_URL (or AUTH0_DOMAIN) is required when an audience is set',
    );
  }

  const poolMax = e.PG_POOL_MAX ?? 10;
  const requestTimeoutMs = e.HTTP_REQUEST_TIMEOUT_MS ?? 30_000;
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
    auth0ClientId: e.AUTH0_CLIENT_ID ?? null,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    rateLimit: Object.freeze({
      readsPerMinute: e.RATE_LIMIT_PER_MINUTE ?? 300,
      writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE ?? 60,
      searchesPerMinute: e.RATE_LIMIT_SEARCHES_PER_MINUTE ?? 30,
    }),
    trustProxy: e.TRUST_PROXY ?? (e.DYNO ? 1 : 0),
    authFetchTimeoutMs: e.AUTH_FETCH_TIMEOUT_MS ?? 5_000,
    http: Object.freeze({
      requestTimeoutMs,
      // Never longer than the whole request may take.
      headersTimeoutMs: Math.min(e.HTTP_HEADERS_TIMEOUT_MS ?? 20_000, requestTimeoutMs),
      maxConnections: e.MAX_CONNECTIONS ?? 1_000,
    }),
    logLevel: e.LOG_LEVEL ?? 'info',
    devKeyFile: e.DEV_KEY_FILE ?? '.data/dev-signing-key.pem',
    webConcurrency: e.WEB_CONCURRENCY ?? 1,
    tokenCacheSize: e.TOKEN_CACHE_SIZE ?? 1000,
    searchCacheSize: e.SEARCH_CACHE_SIZE ?? 500,
    countedLists: e.COUNTED_LISTS !== 'off',
    rateLimitRedisUrl: e.REDIS_URL ?? null,
  });
}
