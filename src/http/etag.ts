import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Db } from '../db/db';
import { ErrorCode, HttpError } from './errors';

/**
 * A strong validator of a representation: a hash of the JSON a GET answers. Any change to what the
 * client saw (a field, or anything else the GET includes) changes the tag.
 */
export const etagOf = (representation: unknown): string =>
  `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url')}"`;

type Condition = '*' | readonly string[];

/**
 * `If-Match` (RFC 9110 §13.1.1): `*`, or entity tags compared strongly (a weak `W/"…"` never matches).
 * Each `"…"` in the header is a tag, whatever lies between them; one scan, no regex on client input.
 */
export function parseIfMatch(header: string | undefined): Condition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  let from = 0;
  for (;;) {
    const open = header.indexOf('"', from);
    const close = open === -1 ? -1 : header.indexOf('"', open + 1);
    if (close === -1) return tags;
    const weak = open - 2 >= from && header.startsWith('W/', open - 2);
    if (!weak) tags.push(header.slice(open, close + 1));
    from = close + 1;
  }
}

const LOCK_ROW = {
  actors: 'SELECT 1 FROM actors WHERE id = $1 FOR UPDATE',
  movies: 'SELECT 1 FROM movies WHERE id = $1 FOR UPDATE',
} as const;

export type Target = { table: keyof typeof LOCK_ROW; id: number };

/**
 * `ifMatch(req, target, current, write)`: without `If-Match`, just `write()`. With it, one transaction
 * locks the row, computes the current representation with `current()` (the same function GET uses),
 * and runs `write()` only if its tag matches: of two writers holding the same tag, the second waits
 * for the lock, sees the new version and gets 412. A missing row is left to `write()` (404).
 * After the write, still in that transaction, `etag` is the tag of the new version (what a GET right
 * after it answers), so a client can send its next change without reading again; none after a DELETE.
 */
export type IfMatch = <T>(req: Request, target: Target, current: () => Promise<unknown>, write: () => Promise<T>) => Promise<{ result: T; etag?: string }>;

export function createIfMatch(db: Db): IfMatch {
  return async (req, target, current, write) => {
    const condition = parseIfMatch(req.get('If-Match'));
    if (condition === undefined) return { result: await write() };
    // `current` and `write` query through the repositories' `db`: `atomic` runs them in this transaction.
    return db.atomic(async () => {
      await db.query(LOCK_ROW[target.table], [target.id]);
      const representation = await current();
      if (representation !== null && condition !== '*' && !condition.includes(etagOf(representation))) {
        throw new HttpError(
          412,
          ErrorCode.preconditionFailed,
          `${target.table === 'actors' ? 'Actor' : 'Movie'} ${target.id} has changed since If-Match was read; GET it again for the current ETag`,
        );
      }
      const result = await write();
      const after = result === null ? null : await current();
      return { result, etag: after === null ? undefined : etagOf(after) };
    });
  };
}
