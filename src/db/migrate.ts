import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './db';

export const DATABASE_DIR = path.resolve(__dirname, '../../database');
const MIGRATIONS_DIR = path.join(DATABASE_DIR, 'migrations');

/** Any fixed number: every process that migrates this database takes the same lock. */
const MIGRATION_LOCK_KEY = 7_311_450_021;

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies every `database/migrations/NNN_name.sql` not yet recorded, in order, in one transaction
 * under an advisory lock: a second process starting at the same moment waits, then finds nothing to do.
 * Returns the names it applied.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_MIGRATIONS_TABLE);
    const applied = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const pending = files.filter((f) => !applied.has(f));
    for (const file of pending) {
      await tx.query(await readFile(path.join(dir, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
    }
    return pending;
  });
}

export async function seed(db: Db): Promise<void> {
  await db.query(await readFile(path.join(DATABASE_DIR, 'seed.sql'), 'utf8'));
}
