import { deepFreeze } from '../lib/deep-freeze';
import { LruMap } from '../lib/lru';
import type { Queryable } from './db';
import { listStatement, versionOf, type ListQuery, type ListSpec } from './list-sql';

export type ListPage<T> = { items: T[]; total: number };
/** A page, and whether finding it meant searching the table (a `q` not answered from the cache): what the search limit counts. */
export type ListRead<T> = ListPage<T> & { searchedTable: boolean };

export type ListCacheOptions = {
  /** Search results kept per table in this process; 0 runs every search. */
  maxEntries: number;
  /** A kept result is checked against the table's version for at most this long, then read again. */
  maxAgeMs: number;
  /** Kept counts find totals and pages where they can (src/db/list-sql.ts); false counts every match (COUNTED_LISTS=off). */
  counted?: boolean;
  now?: () => number;
};

/** How long a kept search is trusted on its version alone; then it is read again (what triggers cannot see). */
export const SEARCH_MAX_AGE_MS = 60_000;

type Entry<T> = { page: ListPage<T>; version: string; storedAt: number };

/** The same key for the same search, whatever order the client wrote the parameters in. */
const keyOf = (query: object): string =>
  JSON.stringify(
    Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/**
 * Reads list pages. A search (`q`) has to find and count every match (a trigram index scan and a recheck
 * of each candidate row); its page and exact total are kept with the version of the table they were
 * read at (migration 004), and served again only after a one-row read shows the version unchanged:
 * no committed change to the table since, so the same page and total. The version is read in the
 * same statement as the page, so the two always agree. Lists without `q` are served by indexes and
 * the kept row counts already and are not kept.
 *
 * What this does not see: writes that skip the triggers (see migration 003), or a database restored
 * to an older state under a running server; `maxAgeMs` bounds how long a result can outlive either.
 */
export function searchCache<T, F extends string, K extends string>(spec: ListSpec<F, K>, options: ListCacheOptions) {
  const entries = new LruMap<string, Entry<T>>(options.maxEntries);
  const now = options.now ?? Date.now;
  const versionQuery = `SELECT ${versionOf(spec.table)} AS version`;

  const read = async (db: Queryable, query: ListQuery<F, K>, withVersion: boolean) => {
    const { sql, params } = listStatement(spec, query, { withVersion, counted: options.counted ?? true });
    const [row] = await db.query<ListPage<T> & { version?: string | null }>(sql, params);
    if (!row) throw new Error('the list statement returned no row');
    return row;
  };

  /** A page of the list, through `db` (the pool, or a transaction's client). */
  const list = async (db: Queryable, query: ListQuery<F, K>): Promise<ListRead<T>> => {
    if (query.q === undefined || options.maxEntries <= 0) {
      const { items, total } = await read(db, query, false);
      return { items, total, searchedTable: query.q !== undefined };
    }
    const key = keyOf(query);
    const kept = entries.get(key);
    if (kept !== undefined && now() - kept.storedAt < options.maxAgeMs) {
      const [current] = await db.query<{ version: string | null }>(versionQuery);
      if (current?.version === kept.version) return { ...kept.page, searchedTable: false };
    }
    const { items, total, version } = await read(db, query, true);
    const page = deepFreeze({ items, total });
    if (typeof version === 'string') entries.set(key, { page, version, storedAt: now() });
    else entries.delete(key);
    return { ...page, searchedTable: true };
  };
  return { list };
}
