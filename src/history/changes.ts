import type { Request } from 'express';
import { subjectOf } from '../auth/caller';

/** The resources that have a history; each change names the ids it is about. */
export type HistoryResource = 'actor' | 'movie';

export const RESOURCE_ACTIONS = ['created', 'updated', 'deleted'] as const;
export const CAST_ACTIONS = ['cast_added', 'cast_updated', 'cast_removed'] as const;
export type Action = (typeof RESOURCE_ACTIONS)[number] | (typeof CAST_ACTIONS)[number];

/** A cast entry as its history shows it. */
export type CastEntry = { movie_id: number; actor_id: number; character: string | null };

/** One change to record: what happened to which ids, and the fields before and after. */
export type ChangeEntry = { action: Action; actor_id: number | null; movie_id: number | null; before: object | null; after: object | null };

type Fields = { id: number } & Record<string, unknown>;

const about = (resource: HistoryResource, id: number) => ({
  actor_id: resource === 'actor' ? id : null,
  movie_id: resource === 'movie' ? id : null,
});

const sameFields = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((key) => a[key] === b[key]);

/*
 * The entries of each kind of write. A write that changes nothing records nothing: `updated` and
 * `castUpdated` give no entry when before and after are the same.
 */
export const created = (resource: HistoryResource, row: Fields): ChangeEntry[] => [
  { action: 'created', ...about(resource, row.id), before: null, after: row },
];

export const updated = (resource: HistoryResource, before: Fields, after: Fields): ChangeEntry[] =>
  sameFields(before, after) ? [] : [{ action: 'updated', ...about(resource, after.id), before, after }];

/** Each cast entry the delete removed with the row (listed in the other side's history too), then the row. */
export const deleted = (resource: HistoryResource, row: Fields, uncast: readonly CastEntry[]): ChangeEntry[] => [
  ...uncast.map(castRemoved),
  { action: 'deleted', ...about(resource, row.id), before: row, after: null },
];

const ids = ({ movie_id, actor_id }: CastEntry) => ({ movie_id, actor_id });

export const castAdded = (entry: CastEntry): ChangeEntry => ({ action: 'cast_added', ...ids(entry), before: null, after: entry });
export const castRemoved = (entry: CastEntry): ChangeEntry => ({ action: 'cast_removed', ...ids(entry), before: entry, after: null });
export const castUpdated = (before: CastEntry, after: CastEntry): ChangeEntry[] =>
  before.character === after.character ? [] : [{ action: 'cast_updated', ...ids(after), before, after }];

/** Who made a change: the verified token's `sub` (every write has a guard, so there is one). */
export function authorOf(req: Request): string {
  const sub = subjectOf(req);
  if (sub === undefined) throw new Error(`${req.method} ${req.path} wrote without a verified caller`);
  return sub;
}
