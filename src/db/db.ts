import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { DatabaseSsl } from '../config';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** What the repositories see: one connection pool, queries and transactions on one client. */
export interface Db extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction that every query made through this Db in `fn`'s async call chain
   * joins, including the ones repositories make with `db.query` and `db.transaction`: a way to make
   * several repository calls atomic without handing them a transaction.
   */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
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

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300',
]);
const CONNECTION_ERROR_MESSAGES =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|Client has encountered a connection error|Client was closed|connect ECONNREFUSED/;

/** The database is unreachable or stopped answering (as opposed to refusing one statement). */
export const isConnectionError = (err: unknown): boolean => {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  return (typeof e.code === 'string' && CONNECTION_ERROR_CODES.has(e.code)) || (typeof e.message === 'string' && CONNECTION_ERROR_MESSAGES.test(e.message));
};

export type PoolOptions = {
  url: string;
  ssl?: DatabaseSsl;
  max?: number;
  /** How long to wait for a connection (a server that does not answer at all). */
  connectionTimeoutMillis?: number;
  /**
   * How long one statement may run: the server stops it then (`statement_timeout`), which frees the
   * connection and the server's CPU; the client gives up `HUNG_CONNECTION_GRACE_MS` later on a
   * connection that does not answer at all, so no request waits forever.
   */
  queryTimeoutMillis?: number;
};

const HUNG_CONNECTION_GRACE_MS = 500;

/** The server stopped a statement: its statement_timeout, or a cancel request. */
export const isStatementTimeout = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '57014';

export function createPgDb({ url, ssl = 'auto', max = 10, connectionTimeoutMillis = 5000, queryTimeoutMillis = 10_000 }: PoolOptions): Db {
  const pool = new pg.Pool({
    ...connectionOptions(url, ssl),
    max,
    connectionTimeoutMillis,
    statement_timeout: queryTimeoutMillis,
    query_timeout: queryTimeoutMillis + HUNG_CONNECTION_GRACE_MS,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client whose server went away must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // The `atomic` transaction (if any) that the current async call chain runs in; `open` turns false
  // when it ends, so a stray callback that outlives it falls back to the pool, not a released client.
  const ambient = new AsyncLocalStorage<{ tx: Queryable; open: boolean }>();
  const current = () => {
    const store = ambient.getStore();
    return store?.open ? store.tx : undefined;
  };

  const query = async <T extends Row>(sql: string, params: readonly unknown[] = [], client: pg.Pool | pg.PoolClient = pool) =>
    (await client.query<T>(sql, params as unknown[])).rows;

  async function inTransaction<T>(fn: (tx: Queryable) => Promise<T>, shared: boolean): Promise<T> {
    const client = await pool.connect();
    const tx: Queryable = { query: (sql, params) => query(sql, params, client) };
    const scope = { tx, open: true };
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = shared ? await ambient.run(scope, () => fn(tx)) : await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A lost or hung connection cannot run ROLLBACK (it would wait out another timeout); dropping
      // it makes the server roll back, and the pool must not hand it out again.
      broken = isConnectionError(error) ? error : await client.query('ROLLBACK').then(() => undefined, (e: unknown) => e);
      throw error;
    } finally {
      scope.open = false;
      client.release(broken !== undefined); // true: discard the connection
    }
  }

  return {
    query: <T extends Row>(sql: string, params?: readonly unknown[]) => current()?.query<T>(sql, params) ?? query<T>(sql, params),
    transaction: (fn) => {
      const joined = current();
      return joined ? fn(joined) : inTransaction(fn, false);
    },
    atomic: (fn) => (current() ? fn() : inTransaction(() => fn(), true)),
    close: () => pool.end(),
  };
}
