import { offsetOf, type Page, type Sort } from './paging';

/**
 * Builds the list statements of GET /actors and GET /movies. Only constant SQL from the repositories
 * is joined here; every value a client sends travels as a `$n` parameter.
 */

/** The condition for one query parameter, given the placeholder (`$3`) of its value. */
export type Filter = (param: string) => string;

/** What a list counts: `filtered` is false exactly when `from` is the whole table. */
export type TotalSource = { from: string; filtered: boolean };

export type ListSpec<F extends string, K extends string> = {
  table: string;
  alias: string;
  columns: string;
  /** The client's sort field → a column: only these names ever reach ORDER BY. */
  sortColumns: Record<F, string>;
  /** `q` is the case-insensitive substring search; the others compare the value as given. */
  filters: Record<K | 'q', Filter>;
  total: (source: TotalSource) => string;
};

export type ListQuery<F extends string, K extends string> = Page & { sort: Sort<F>; q?: string } & Partial<Record<K, unknown>>;

/** `WHERE …` for the filters whose value was given, appending those values to `params`. */
export function whereClause<K extends string>(
  filters: Record<K, Filter>,
  values: Partial<Record<NoInfer<K>, unknown>>,
  params: unknown[],
): string {
  const conditions: string[] = [];
  for (const key of Object.keys(filters) as K[]) {
    if (values[key] === undefined) continue;
    params.push(values[key]);
    conditions.push(filters[key](`$${params.length}`));
  }
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/**
 * The sort column, then id in the same direction: rows with equal values keep one order, so no row
 * moves between pages, and one (column, id) index serves both directions.
 */
export function orderBy<F extends string>(columns: Record<F, string>, sort: Sort<F>, alias: string): string {
  const direction = sort.descending ? 'DESC' : 'ASC';
  const column = columns[sort.field];
  return column === 'id' ? `${alias}.id ${direction}` : `${alias}.${column} ${direction}, ${alias}.id ${direction}`;
}

/** An ILIKE pattern for "contains `text`": `%`, `_` and `\` match themselves (`\` is PostgreSQL's LIKE escape). */
export const containing = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/** The table's version (migration 004), as text: it moves with every committed change to the table. */
export const versionOf = (table: string): string => `(SELECT sum(changes) FROM row_counts WHERE table_name = '${table}')::text`;

/** Lists whose total is known before reading them: no filter, or only a `q` of at most this many characters. */
export const COUNTED_Q_LENGTH = 3;

/**
 * The exact number of rows of `table` that contain `q` ignoring case, for a `q` of 1–3 characters
 * once lower-cased: the kept count of that fragment plus the pending writes that contain it (migration
 * 006). A longer lower-cased `q` (lower() may lengthen a character) is counted row by row (`rowByRow`).
 */
const fragmentCount = (table: string, q: string, rowByRow: string): string => `
  CASE WHEN char_length(lower(${q})) <= ${COUNTED_Q_LENGTH}
       THEN (SELECT COALESCE(sum(n), 0) FROM search_counts WHERE table_name = '${table}' AND fragment = lower(${q}))
          + (SELECT COALESCE(sum(sign), 0) FROM search_pending WHERE table_name = '${table}' AND strpos(lower(content), lower(${q})) > 0)
       ELSE (${rowByRow}) END`;

/** Fragments of at most this many characters can be listed (migration 006's search_listed). */
const LISTED_Q_LENGTH = 2;

/**
 * A total known before reading the matches; `matches`, the conditions a row of the page meets.
 * `listed`, for a short `q`: true when the ids of its matches can be had from search_listed and the
 * pending writes (`candidates`), to be rechecked.
 */
type KnownTotal = { total: string; matches: string[]; listed: string; candidates: string };

/** The list's total when it can be had without reading the matches, or undefined. */
function knownTotal<F extends string, K extends string>(
  spec: ListSpec<F, K>,
  query: ListQuery<F, K>,
  params: unknown[],
): KnownTotal | undefined {
  const { q: _q, page: _page, limit: _limit, sort: _sort, ...others } = query;
  if (Object.values(others).some((value) => value !== undefined)) return undefined;
  if (query.q === undefined)
    return {
      total: spec.total({ from: spec.table, filtered: false }),
      matches: [],
      listed: 'false',
      candidates: 'SELECT NULL::int WHERE false',
    };
  if ([...query.q].length > COUNTED_Q_LENGTH) return undefined;
  // `q` is the only filter, so its ILIKE pattern is the last parameter so far.
  const matches = [spec.filters.q(`$${params.length}`)];
  params.push(query.q);
  const q = `$${params.length}::text`;
  const { table, alias } = spec;
  return {
    total: fragmentCount(table, q, `SELECT count(*) FROM ${table} ${alias} WHERE ${matches[0]}`),
    matches,
    listed: `char_length(lower(${q})) <= ${LISTED_Q_LENGTH}
             AND COALESCE((SELECT listed FROM search_counts WHERE table_name = '${table}' AND fragment = lower(${q})), true)`,
    candidates: `SELECT row_id FROM search_listed WHERE table_name = '${table}' AND fragment = lower(${q})
                 UNION SELECT row_id FROM search_pending WHERE table_name = '${table}' AND strpos(lower(content), lower(${q})) > 0`,
  };
}

/**
 * A page of a list whose total is known (`knownTotal`), in one statement. The total decides how the
 * page is found: past its middle, from the other end in the opposite order (the last page is as cheap
 * as the first); past the end, not at all. The page's ids come first, from the sort's (field, id)
 * index alone where the visibility map allows (an index-only scan skips rows without reading them),
 * then its rows by id. A listed short `q` (a rare fragment) starts from the ids of its candidates
 * instead of walking the sort order for them.
 */
function countedStatement<F extends string, K extends string>(
  spec: ListSpec<F, K>,
  query: ListQuery<F, K>,
  known: KnownTotal,
  params: unknown[],
  withVersion: boolean,
): string {
  const { table, alias, columns, sortColumns } = spec;
  const { matches } = known;
  const forward = orderBy(sortColumns, query.sort, alias);
  const backward = orderBy(sortColumns, { ...query.sort, descending: !query.sort.descending }, alias);
  const ids = (order: string, skip: string, when: string, among?: string) =>
    `(SELECT ${alias}.id FROM ${table} ${alias}
       WHERE ${[...(among ? [`${alias}.id = ANY (ARRAY(${among}))`] : []), ...matches, `(SELECT ${when} FROM w)`].join(' AND ')}
      ORDER BY ${order} LIMIT (SELECT take FROM w) OFFSET (SELECT ${skip} FROM w))`;
  // serial_plan(): no parallel workers (migration 006 says why).
  return `WITH t AS MATERIALIZED (SELECT (${known.total})::int AS total, ${known.listed} AS listed WHERE serial_plan()),
       w AS MATERIALIZED (SELECT total, listed, GREATEST(0, LEAST($1::int, total - $2::int)) AS take,
                                 $2::int * 2 < total AS forward FROM t)
  SELECT w.total,
         COALESCE((SELECT json_agg(p ORDER BY ${orderBy(sortColumns, query.sort, 'p')})
                   FROM (SELECT ${columns} FROM ${table} ${alias}
                          WHERE ${alias}.id = ANY (ARRAY(${ids(forward, '$2::int', 'forward AND NOT listed')}
                                                   UNION ALL ${ids(backward, 'GREATEST(0, total - $2::int - take)', 'NOT forward AND NOT listed')}
                                                   UNION ALL ${ids(forward, '$2::int', 'listed AND take > 0', known.candidates)}))) p), '[]') AS items
         ${withVersion ? `, ${versionOf(table)} AS version` : ''}
    FROM w`;
}

/**
 * An unfiltered list skips fewer rows than this the plain way (OFFSET on the sort index): the page
 * costs the same, and the plain statement is planned and run in a third of the time the counted one
 * takes (0.14 against 0.38 ms for page 1, measured) — page 1 is the most read page of all.
 */
export const SHALLOW_ROWS = 2_000;

export type ListOptions = {
  /** Adds the table's version read in the same snapshot, for src/db/list-cache.ts. */
  withVersion?: boolean;
  /** Uses the kept counts (migrations 003, 006) where they give the total; off, every list counts its matches. */
  counted?: boolean;
  /** SHALLOW_ROWS, but for tests. */
  shallowRows?: number;
};

/**
 * One statement, so one snapshot: the total and the page (a JSON array in page order) agree.
 * Where the total is kept (no filter, or a `q` of 1–3 characters: `countedStatement`), it is read
 * first and decides how the page is found, except on the first SHALLOW_ROWS rows of an unfiltered
 * list. Otherwise, with `q`, the matches are collected once into a CTE named like the alias, and
 * both the count and the page read it: the count visits every match anyway, and otherwise the
 * planner may walk the whole sort index looking for rare matches (measured in docs/indexes.md).
 */
export function listStatement<F extends string, K extends string>(
  spec: ListSpec<F, K>,
  query: ListQuery<NoInfer<F>, NoInfer<K>>,
  { withVersion = false, counted = true, shallowRows = SHALLOW_ROWS }: ListOptions = {},
): { sql: string; params: unknown[] } {
  const { table, alias, columns, sortColumns, filters, total } = spec;
  const params: unknown[] = [query.limit, offsetOf(query)];
  const search = query.q === undefined ? undefined : containing(query.q);
  const where = whereClause<K | 'q'>(filters, { ...query, q: search }, params);
  const shallow = query.q === undefined && offsetOf(query) < shallowRows;
  const known = counted && !shallow ? knownTotal(spec, query, params) : undefined;
  if (known !== undefined) return { sql: countedStatement(spec, query, known, params, withVersion), params };
  const matching = `${table} ${alias} ${where}`;
  const from = search === undefined ? matching : alias;
  const order = (on: string) => orderBy(sortColumns, query.sort, on);
  const sql = `${search === undefined ? '' : `WITH ${alias} AS MATERIALIZED (SELECT ${columns} FROM ${matching})`}
  SELECT ${total({ from, filtered: where !== '' })} AS total,
         COALESCE((SELECT json_agg(p ORDER BY ${order('p')})
                   FROM (SELECT ${columns} FROM ${from} ORDER BY ${order(alias)} LIMIT $1 OFFSET $2) p), '[]') AS items
         ${withVersion ? `, ${versionOf(table)} AS version` : ''}`;
  return { sql, params };
}
