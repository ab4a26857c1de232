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

const embeddedFrom = (server: EmbeddedServer): TestDatabase => ({ url: server.url, kind: 'embedded', drop: () => server.stop() });

async function migrated<T extends TestDatabase>(database: T): Promise<T> {
  const db = createPgDb({ url: database.url, max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return database;
}

/**
 * `count` fresh, migrated databases: new databases on the server `adminUrl` names, or in-memory
 * embedded ones served on loopback (the first one made and migrated, the others copied from it:
 * ~0.5 s each instead of ~3 s).
 */
export async function createTestDatabases(adminUrl: string | undefined, count: number): Promise<TestDatabase[]> {
  if (adminUrl) return Promise.all(Array.from({ length: count }, async () => migrated(await onServer(adminUrl))));
  const first = await startEmbedded('memory://', 30);
  await migrated(embeddedFrom(first));
  const copies: TestDatabase[] = [embeddedFrom(first)];
  if (count > 1) {
    const snapshot = await first.snapshot();
    for (let i = 1; i < count; i += 1) copies.push(embeddedFrom(await startEmbedded('memory://', 30, snapshot)));
  }
  return copies;
}

export const createTestDatabase = async (adminUrl: string | undefined): Promise<TestDatabase> =>
  (await createTestDatabases(adminUrl, 1))[0]!;
