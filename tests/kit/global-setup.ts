import type { GlobalConfig } from 'jest';
import { generateKeyPairSync } from 'node:crypto';
import { connect } from 'node:net';
import path from 'node:path';
import { KEY_ENV } from './issuer';
import { createTestDatabases } from './test-database';

declare global {
  // Shared with global-teardown.ts: both run in Jest's parent process.
  var __TEST_DATABASES__: { drop(): Promise<void> }[] | undefined;
}

/**
 * One fresh database per Jest worker, so files running at the same time never see each other's rows:
 * worker N (JEST_WORKER_ID) uses TEST_DB_URL_N (tests/kit/context.ts, testDatabaseUrl).
 */
export default async function globalSetup(globalConfig: GlobalConfig): Promise<void> {
  buildWebApp();
  const databases = await createTestDatabases(process.env.TEST_DATABASE_URL, Math.max(1, globalConfig.maxWorkers));
  globalThis.__TEST_DATABASES__ = databases;
  // Test files read these; workers inherit the parent's environment.
  databases.forEach((database, i) => (process.env[`TEST_DB_URL_${i + 1}`] = database.url));
  process.env.TEST_DB_KIND = databases[0]!.kind;
  await findRedis();
  for (const name of Object.values(KEY_ENV)) {
    process.env[name] = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}

/**
 * The browser tests load the casting board from dist/web: built here when web/ changed since the last
 * build. A failed build does not stop the API's tests: it is printed, and WEB_BUILD_ERROR fails the
 * tests that need the build (tests/board/web-build.test.ts, the browser tests through the page's 503).
 */
function buildWebApp(): void {
  try {
    (require(path.join(__dirname, '../../scripts/web-build.js')) as { ensureWebBuild(): unknown }).ensureWebBuild();
    delete process.env.WEB_BUILD_ERROR;
  } catch (err) {
    process.env.WEB_BUILD_ERROR = (err as Error).message;
    process.stderr.write(`\nthe web app did not build; its tests will fail:\n${(err as Error).message}\n`);
  }
}

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/** Whether a Redis server answers PING at `url` within a second. */
const answersPing = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port || 6379), hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => done(reply.toString().startsWith('+PONG')));
  });

/**
 * The Redis tests (tests/limits/rate-limit-redis.test.ts) use TEST_REDIS_URL; when it is not set,
 * a local Redis if one answers, else they are skipped. Set, it must answer (CI sets it).
 */
async function findRedis(): Promise<void> {
  const required = process.env.TEST_REDIS_URL;
  const url = required ?? DEFAULT_REDIS;
  if (await answersPing(url)) process.env.TEST_REDIS_URL = url;
  else if (required) throw new Error(`TEST_REDIS_URL=${required} does not answer PING`);
}
