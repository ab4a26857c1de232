import type { Sort } from '../http/validate';

/**
 * Pieces of the list statements. Only constant SQL from the repositories is ever joined here;
 * every value a client sends travels as a `$n` parameter.
 */

/** The condition for one query parameter, given the placeholder (`$3`) of its value. */
export type Filter = (param: string) => string;

/** `WHERE …` for the filters whose value was given, appending those values to `params`. */
export function whereClause<K extends string>(filters: Record<K, Filter>, values: Partial<Record<NoInfer<K>, unknown>>, params: unknown[]): string {
  const conditions: string[] = [];
  for (const key of Object.keys(filters) as K[]) {
    if (values[key] === undefined) continue;
    params.push(values[key]);
    conditions.push(filters[key](`$${params.length}`));
  }
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/**
 * The sort column (from the repository's own map, never the client's text), then id in the same
 * direction: rows with equal values keep one order, so no row moves between pages, and one
 * (column, id) index serves both directions.
 */
export function orderBy<F extends string>(columns: Record<F, string>, sort: Sort<F>, alias: string): string {
  const direction = sort.descending ? 'DESC' : 'ASC';
  const column = columns[sort.field];
  return column === 'id' ? `${alias}.id ${direction}` : `${alias}.${column} ${direction}, ${alias}.id ${direction}`;
}

/** An ILIKE pattern for "contains `text`": `%`, `_` and `\` match themselves (`\` is PostgreSQL's LIKE escape). */
export const containing = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/** One statement, so one snapshot: the total and the page (a JSON array in page order) agree. */
export const pageWithTotal = (totalSql: string, pageSql: string, pageOrder: string): string => `
  SELECT ${totalSql} AS total,
         COALESCE((SELECT json_agg(p ORDER BY ${pageOrder}) FROM (${pageSql}) p), '[]') AS items`;
