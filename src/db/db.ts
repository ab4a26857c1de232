import pg from 'pg';
import type { DatabaseSsl } from '../config';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * One connection pool. `query` runs one statement on any free connection; `transaction` checks one
 * out, runs `fn` with it between BEGIN and COMMIT (ROLLBACK when `fn` throws) and releases it. Only
 * what `fn` sends through `tx` is in the transaction: repositories take the `Queryable` to use, so
 * the call shows which statements share one.
 */
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

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
const CONNECTION_ERROR_MESSAGES =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|Client has encountered a connection error|Client was closed|connect ECONNREFUSED/;

/** The database is unreachable or stopped answering (as opposed to refusing one statement). */
export const isConnectionError = (err: unknown): boolean => {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  return (
    (typeof e.code === 'string' && CONNECTION_ERROR_CODES.has(e.code)) ||
    (typeof e.message === 'string' && CONNECTION_ERROR_MESSAGES.test(e.message))
  );
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
  const query = async <T extends Row>(sql: string, params: readonly unknown[] = [], client: pg.Pool | pg.PoolClient = pool) =>
    (await client.query<T>(sql, params as unknown[])).rows;

  async function transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A connection that drops while checked out emits 'error' on the client (pool.query listens for it
    // itself; a checked-out client has no listener, which would crash the process). The statement in
    // flight fails too, and that failure is what the caller sees.
    const ignoreLostConnection = () => undefined;
    client.on('error', ignoreLostConnection);
    // Once the transaction has ended, a stray call through `tx` fails instead of reaching a released client.
    let open = true;
    const tx: Queryable = {
      query: (sql, params) => (open ? query(sql, params, client) : Promise.reject(new Error('the transaction has ended'))),
    };
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A lost or hung connection cannot run ROLLBACK (it would wait out another timeout); dropping
      // it makes the server roll back, and the pool must not hand it out again.
      broken = isConnectionError(error)
        ? error
        : await client.query('ROLLBACK').then(
            () => undefined,
            (e: unknown) => e,
          );
      throw error;
    } finally {
      open = false;
      // A discarded connection keeps the listener: its socket may still report the loss after release.
      if (broken === undefined) client.off('error', ignoreLostConnection);
      client.release(broken !== undefined); // true: discard the connection
    }
  }

  return {
    query: <T extends Row>(sql: string, params?: readonly unknown[]) => query<T>(sql, params),
    transaction,
    close: () => pool.end(),
  };
}
