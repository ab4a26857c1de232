import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type AppConfig, type AppDeps } from '../../src/app';
import type { AuthSettings } from '../../src/auth/authenticate';
import { authSettingsFor } from '../../src/auth/dev-identity';
import { boardFor, type Board } from '../../src/board/board.settings';
import { loadConfig } from '../../src/config';
import { SEARCH_MAX_AGE_MS, type ListCacheOptions } from '../../src/db/list-cache';
import { historyRepository } from '../../src/history/history.repository';
import { countInProcess } from '../../src/http/rate-limit';
import type { Role } from '../../src/auth/permissions';
import { createPgDb, type Db } from '../../src/db/db';
import { AUDIENCE, TestIssuer } from './issuer';
import { roleBoundClient, type Client } from './clients';
import { documentConformance } from './openapi-check';

export type TestContext = {
  /** The app, anonymous (`api.get(…)`) or as a role (`api.as('director').post(…)`). */
  api: Client;
  /** The app as a request listener (for a server of one's own), its answers checked like `api`'s. */
  app: RequestListener;
  /** A client like `api` for another app trusting this context's issuer, its answers checked too. */
  clientFor(app: RequestListener): Client;
  db: Db;
  issuer: TestIssuer;
  /** `Authorization` header values, one per role, for tests that send the header themselves. */
  auth: Record<Role, string>;
  reset(): Promise<void>;
  close(): Promise<void>;
};

export function testDatabaseUrl(): string {
  // This Jest worker's own database (1 when the tests run in band).
  const url = process.env[`TEST_DB_URL_${process.env.JEST_WORKER_ID ?? '1'}`];
  if (!url) throw new Error('TEST_DB_URL_<worker> is not set: run the tests through jest (tests/kit/global-setup.ts)');
  return url;
}

/** The app's settings as the server reads them from an environment with only the rate limits off, then `overrides`. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const { env, corsOrigins, rateLimit, trustProxy } = loadConfig({ NODE_ENV: 'test', ...NO_RATE_LIMITS });
  return { env, corsOrigins, rateLimit, trustProxy, ...overrides };
}

const NO_RATE_LIMITS = { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '0', RATE_LIMIT_SEARCHES_PER_MINUTE: '0' };

/** Auth settings for a test issuer, built the way src/server.ts builds them from the environment. */
export const issuerAuth = (issuerUrl: string, overrides: Partial<AuthSettings> = {}): AuthSettings =>
  ({ ...authSettingsFor(loadConfig({ ISSUER_BASE_URL: issuerUrl, AUDIENCE })), ...overrides }) as AuthSettings;

/** The search cache the server keeps (SEARCH_CACHE_SIZE, by default its default). */
export const testSearchCache = (maxEntries = loadConfig({}).searchCacheSize, counted = true): ListCacheOptions => ({
  maxEntries,
  maxAgeMs: SEARCH_MAX_AGE_MS,
  counted,
});

/**
 * The casting board as the server builds it (`boardFor`) from an environment, serving the real build
 * (dist/web, made by the global setup) unless `webDir` names another. The default environment has
 * an issuer and no AUTH0_CLIENT_ID, as the test apps do: token sign-in, no development tokens.
 * `testBoard({ DEV_KEY_FILE })` is development sign-in with that key (pair it with
 * `authSettingsFor(loadConfig({ DEV_KEY_FILE }))`), `testBoard({ ISSUER_BASE_URL, AUDIENCE,
 * AUTH0_CLIENT_ID })` Auth0 sign-in.
 */
export const testBoard = (env: NodeJS.ProcessEnv = { ISSUER_BASE_URL: 'http://127.0.0.1/', AUDIENCE }, webDir?: string): Board =>
  boardFor(loadConfig({ NODE_ENV: 'test', ...env }), webDir);

/**
 * The auth settings and board of a server with no issuer: development tokens, signed with a key made
 * for this call (held in memory; its file is gone when this returns), which POST /app/dev-token signs with.
 */
export function developmentDeps(): Pick<AppDeps, 'auth' | 'board'> {
  const dir = mkdtempSync(path.join(tmpdir(), 'casting-dev-key-'));
  try {
    const config = loadConfig({ NODE_ENV: 'test', DEV_KEY_FILE: path.join(dir, 'dev-key.pem') });
    return { auth: authSettingsFor(config), board: boardFor(config) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The dependencies most tests keep as the server builds them: settings, search cache, counters in this process, history, the board. */
export const testDeps = (
  overrides: Partial<AppConfig> = {},
): Pick<AppDeps, 'config' | 'searchCache' | 'rateLimitStore' | 'history' | 'board'> => ({
  config: testConfig(overrides),
  searchCache: testSearchCache(),
  rateLimitStore: countInProcess,
  history: historyRepository(),
  board: testBoard(),
});

/** The real app trusting a local test issuer; `overrides` swap its dependencies. */
export function buildApp(db: Db, issuer: TestIssuer, overrides: Partial<AppDeps> = {}) {
  return createApp({
    ...testDeps(),
    db,
    auth: issuerAuth(issuer.url),
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
}

export type TestContextOptions = Partial<Pick<AppDeps, 'db' | 'logger' | 'rateLimitStore' | 'board'>> & {
  /** `searchCacheSize`: SEARCH_CACHE_SIZE for this app (0 runs every search); `countedLists`: COUNTED_LISTS. */
  config?: Partial<AppConfig> & { searchCacheSize?: number; countedLists?: boolean };
};

/**
 * The real app on the run's test database. Rate limits are off unless `config.rateLimit` turns them
 * on; `db` replaces the pool (e.g. one behind a proxy).
 */
export async function createTestContext({ config, ...overrides }: TestContextOptions = {}): Promise<TestContext> {
  const db = overrides.db ?? createPgDb({ url: testDatabaseUrl(), max: 10 });
  const issuer = await TestIssuer.start();
  const { searchCacheSize, countedLists, ...settings } = config ?? {};
  const app = buildApp(db, issuer, {
    ...overrides,
    config: testConfig(settings),
    searchCache: testSearchCache(searchCacheSize, countedLists),
  });
  const bearer = (role: Role) => `Bearer ${issuer.token(role)}`;
  const auth = { assistant: bearer('assistant'), director: bearer('director'), producer: bearer('producer') };
  // Every answer in every test is checked against the OpenAPI document (tests/kit/openapi-check.ts).
  const conformance = documentConformance();
  const checked = { bearer: (role: Role) => auth[role], takeProblems: conformance.takeCurrent };
  const listener = conformance.wrap(app);
  return {
    api: roleBoundClient(listener, checked),
    app: listener,
    clientFor: (other) => roleBoundClient(conformance.wrap(other), checked),
    db,
    issuer,
    auth,
    reset: () => resetTables(db),
    async close() {
      await db.close();
      await issuer.close();
      // The backstop for answers outside any test (in beforeAll, say).
      conformance.assertNone();
    },
  };
}

export async function resetTables(db: Db): Promise<void> {
  await db.query('TRUNCATE movie_actors, actors, movies, changes RESTART IDENTITY CASCADE');
}

export type ActorRow = { id: number; name: string; age: number; gender: string };
export type MovieRow = { id: number; title: string; release_date: string };

export async function insertActors(db: Db, ...actors: Omit<ActorRow, 'id'>[]): Promise<ActorRow[]> {
  const rows: ActorRow[] = [];
  for (const a of actors) {
    const [row] = await db.query<ActorRow>('INSERT INTO actors (name, age, gender) VALUES ($1, $2, $3) RETURNING id, name, age, gender', [
      a.name,
      a.age,
      a.gender,
    ]);
    rows.push(row!);
  }
  return rows;
}

export async function insertMovies(db: Db, ...movies: Omit<MovieRow, 'id'>[]): Promise<MovieRow[]> {
  const rows: MovieRow[] = [];
  for (const m of movies) {
    const [row] = await db.query<MovieRow>('INSERT INTO movies (title, release_date) VALUES ($1, $2) RETURNING id, title, release_date', [
      m.title,
      m.release_date,
    ]);
    rows.push(row!);
  }
  return rows;
}

export const countRows = async (db: Db, table: 'actors' | 'movies' | 'movie_actors'): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
