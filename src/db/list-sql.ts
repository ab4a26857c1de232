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

/**
 * One statement, so one snapshot: the total and the page (a JSON array in page order) agree.
 * With `q`, the matches are collected once into a CTE named like the alias, and both the count and
 * the page read it: the count visits every match anyway, and otherwise the planner may walk the
 * whole sort index looking for rare matches (measured in docs/indexes.md). `withVersion` adds the
 * table's version read in the same snapshot, for src/db/list-cache.ts.
 */
export function listStatement<F extends string, K extends string>(
  spec: ListSpec<F, K>,
  query: ListQuery<NoInfer<F>, NoInfer<K>>,
  { withVersion = false }: { withVersion?: boolean } = {},
): { sql: string; params: unknown[] } {
  const { table, alias, columns, sortColumns, filters, total } = spec;
  const params: unknown[] = [query.limit, offsetOf(query)];
  const search = query.q === undefined ? undefined : containing(query.q);
  const where = whereClause<K | 'q'>(filters, { ...query, q: search }, params);
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
