import pg from 'pg';
import type { DatabaseSsl } from '../config';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** What the repositories see: one connection pool, queries and transactions on one client. */
export interface Db extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const DATE_OID = 1082;

/** SQL `date` stays the `YYYY-MM-DD` text PostgreSQL sent: a JS Date would shift it by the time zone. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Heroku Postgres needs TLS with a certificate that Node cannot verify. `sslmode` in the URL would
 * silently replace the `ssl` option in pg, so it is read here and removed from the URL.
 */
export function connectionOptions(url: string, ssl: DatabaseSsl): { connectionString: string; ssl: pg.PoolConfig['ssl'] } {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  parsed.searchParams.delete('sslmode');
  parsed.searchParams.delete('ssl');
  const wanted = ssl !== 'auto' ? ssl : sslmode === 'disable' || LOCAL_HOSTS.has(parsed.hostname) ? 'off' : 'no-verify';
  const options = { off: false, 'no-verify': { rejectUnauthorized: false }, verify: { rejectUnauthorized: true } } as const;
  return { connectionString: parsed.toString(), ssl: options[wanted] };
}

export type PoolOptions = { url: string; ssl?: DatabaseSsl; max?: number; connectionTimeoutMillis?: number };

export function createPgDb({ url, ssl = 'auto', max = 10, connectionTimeoutMillis = 5000 }: PoolOptions): Db {
  const pool = new pg.Pool({
    ...connectionOptions(url, ssl),
    max,
    connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client whose server went away must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const query = async <T extends Row>(sql: string, params: readonly unknown[] = [], client: pg.Pool | pg.PoolClient = pool) =>
    (await client.query<T>(sql, params as unknown[])).rows;

  return {
    query: (sql, params) => query(sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => query(sql, params, client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
