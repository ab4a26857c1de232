import type { Queryable } from '../db/db';
import { offsetOf, type Page } from '../db/paging';
import type { Action, ChangeEntry, HistoryResource } from './changes';

/** One change as the API shows it; `at` is RFC 3339 in UTC with milliseconds, formatted by the database. */
export type Change = { id: number; at: string; by: string; action: Action; before: object | null; after: object | null };
export type History = { found: boolean; items: Change[]; total: number };

// One statement for any number of entries (a delete and the cast entries it removed).
const RECORD = `
  INSERT INTO changes (changed_by, action, actor_id, movie_id, before, after)
  SELECT $1, e.action, e.actor_id, e.movie_id, e.before, e.after
    FROM jsonb_to_recordset($2::jsonb) AS e (action text, actor_id integer, movie_id integer, before jsonb, after jsonb)`;

/**
 * The history of one actor or movie, newest first (ties by id), with its exact total and whether the
 * id ever existed: the row is there, or a change names it. One statement, so one snapshot.
 */
const historyOf = (table: 'actors' | 'movies', key: 'actor_id' | 'movie_id') => `
  SELECT (EXISTS (SELECT 1 FROM ${table} WHERE id = $1) OR EXISTS (SELECT 1 FROM changes WHERE ${key} = $1)) AS found,
         (SELECT count(*) FROM changes WHERE ${key} = $1)::int AS total,
         COALESCE((SELECT json_agg(json_build_object(
                            'id', c.id,
                            'at', to_char(c.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                            'by', c.changed_by, 'action', c.action, 'before', c.before, 'after', c.after)
                          ORDER BY c.changed_at DESC, c.id DESC)
                   FROM (SELECT id, changed_at, changed_by, action, before, after FROM changes
                          WHERE ${key} = $1 ORDER BY changed_at DESC, id DESC LIMIT $2 OFFSET $3) c), '[]') AS items`;

const HISTORY = { actor: historyOf('actors', 'actor_id'), movie: historyOf('movies', 'movie_id') } as const;

/** The changes table's SQL; `record` runs on the transaction of the change it records. */
export function historyRepository() {
  return {
    /** Appends the entries, by `by`, in the transaction `tx` of the change itself; none: nothing is written. */
    async record(tx: Queryable, by: string, entries: readonly ChangeEntry[]): Promise<void> {
      if (entries.length > 0) await tx.query(RECORD, [by, JSON.stringify(entries)]);
    },

    async list(db: Queryable, resource: HistoryResource, id: number, page: Page): Promise<History> {
      const [row] = await db.query<History>(HISTORY[resource], [id, page.limit, offsetOf(page)]);
      if (!row) throw new Error('the history statement returned no row');
      return row;
    },
  };
}
export type HistoryRepository = ReturnType<typeof historyRepository>;
