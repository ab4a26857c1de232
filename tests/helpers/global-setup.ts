import { generateKeyPairSync } from 'node:crypto';
import { KEY_ENV } from './issuer';
import { createTestDatabase } from './test-database';

declare global {
  // Shared with global-teardown.ts: both run in Jest's parent process.
  var __TEST_DATABASE__: { drop(): Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  globalThis.__TEST_DATABASE__ = database;
  // Test files read these; workers inherit the parent's environment.
  process.env.TEST_DB_URL = database.url;
  process.env.TEST_DB_KIND = database.kind;
  for (const name of Object.values(KEY_ENV)) {
    process.env[name] = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}
