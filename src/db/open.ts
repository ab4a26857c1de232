import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config, DatabaseTimeouts } from '../config';
import { createPgDb, type Db } from './db';
import { startEmbedded } from './embedded';
import { migrate, seed } from './migrate';

const timeoutsOf = (t: DatabaseTimeouts) => ({ connectionTimeoutMillis: t.connectTimeoutMs, queryTimeoutMillis: t.queryTimeoutMs });

export type OpenedDb = { db: Db; description: string; close(): Promise<void> };

/**
 * Opens the configured database and brings its schema up to date. The embedded database is
 * served to the same `pg` pool as a real server, and gets the sample data when it is new.
 */
export async function openDatabase(database: Config['database']): Promise<OpenedDb> {
  if (database.kind === 'postgres') {
    const db = createPgDb({ url: database.url, ssl: database.ssl, max: database.poolMax, ...timeoutsOf(database) });
    await migrate(db);
    return { db, description: 'PostgreSQL (DATABASE_URL)', close: () => db.close() };
  }
  const isNew = database.dir.startsWith('memory://') || !existsSync(path.join(database.dir, 'PG_VERSION'));
  const embedded = await startEmbedded(database.dir, database.poolMax);
  const db = createPgDb({ url: embedded.url, ssl: 'off', max: database.poolMax, ...timeoutsOf(database) });
  await migrate(db);
  if (isNew) await seed(db);
  return {
    db,
    description: `embedded PostgreSQL (PGlite) in ${database.dir}`,
    async close() {
      await db.close();
      await embedded.stop();
    },
  };
}
