import type { GlobalConfig } from 'jest';
import { generateKeyPairSync } from 'node:crypto';
import { KEY_ENV } from './issuer';
import { createTestDatabases } from './test-database';

declare global {
  // Shared with global-teardown.ts: both run in Jest's parent process.
  var __TEST_DATABASES__: { drop(): Promise<void> }[] | undefined;
}

/**
 * One fresh database per Jest worker, so files running at the same time never see each other's rows:
 * worker N (JEST_WORKER_ID) uses TEST_DB_URL_N (tests/helpers/context.ts, testDatabaseUrl).
 */
export default async function globalSetup(globalConfig: GlobalConfig): Promise<void> {
  const databases = await createTestDatabases(process.env.TEST_DATABASE_URL, Math.max(1, globalConfig.maxWorkers));
  globalThis.__TEST_DATABASES__ = databases;
  // Test files read these; workers inherit the parent's environment.
  databases.forEach((database, i) => (process.env[`TEST_DB_URL_${i + 1}`] = database.url));
  process.env.TEST_DB_KIND = databases[0]!.kind;
  for (const name of Object.values(KEY_ENV)) {
    process.env[name] = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}
