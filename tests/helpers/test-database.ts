import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPgDb } from '../../src/db/db';
import { startEmbedded, type EmbeddedServer } from '../../src/db/embedded';
import { migrate } from '../../src/db/migrate';

/**
 * A fresh database for one test run: a new database on the server named by TEST_DATABASE_URL
 * (dropped afterwards), or an in-memory embedded PGlite served on loopback when it is not set.
 */
export type TestDatabase = { url: string; kind: 'postgres' | 'embedded'; drop(): Promise<void> };

/** A new, empty database on the server `adminUrl` names; `drop()` removes it. Also used by bench/. */
export async function onServer(adminUrl: string, prefix = 'casting_agency_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function embedded(): Promise<TestDatabase> {
  const server: EmbeddedServer = await startEmbedded('memory://', 30);
  return { url: server.url, kind: 'embedded', drop: () => server.stop() };
}

export async function createTestDatabase(adminUrl: string | undefined): Promise<TestDatabase> {
  const database = adminUrl ? await onServer(adminUrl) : await embedded();
  const db = createPgDb({ url: database.url, max: 1 });
  await migrate(db);
  await db.close();
  return database;
}
