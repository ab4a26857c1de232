import type { Queryable } from '../db/db';
import { etagOf, matches, parseIfMatch, type Condition } from './etag';
import { ErrorCode, HttpError } from './errors';

/** One row's part in a conditional write, each step on the `Queryable` it is given. */
export type ConditionalTarget<T> = {
  /** The row as a person names it (`Actor 7`), for the 412 message. */
  name: string;
  lock(tx: Queryable): Promise<boolean>;
  /** What GET answers for the row (its tag is what clients send back), or null when there is none. */
  read(db: Queryable): Promise<unknown>;
  /** The change itself; null when the row is not there (the route answers 404). */
  write(db: Queryable): Promise<T | null>;
};

export type ConditionalResult<T> = { result: T | null; etag?: string };

const preconditionFailed = (name: string, condition: Condition) =>
  new HttpError(
    412,
    ErrorCode.preconditionFailed,
    condition.length === 0
      ? `If-Match names no entity tag, so it matches no version of ${name}; send the ETag of GET, or *`
      : `${name} has changed since If-Match was read; GET it again for the current ETag`,
  );

/**
 * PATCH or DELETE with `If-Match` (RFC 9110 §13.1.1), on the transaction `tx` the caller opened: the
 * row is locked, its current representation read and compared with the client's tags, and only then
 * written, so of two writers holding the same tag the second waits for the lock, sees the new version
 * and gets 412. A missing row is left to `write` (404). After the write, in the same transaction,
 * `etag` is the new version's tag (what a GET right after answers); none after a delete. Without
 * `If-Match` it is the write alone.
 */
export async function writeIfMatch<T>(
  tx: Queryable,
  ifMatch: string | undefined,
  target: ConditionalTarget<T>,
): Promise<ConditionalResult<T>> {
  const condition = parseIfMatch(ifMatch);
  if (condition === undefined) return { result: await target.write(tx) };
  await target.lock(tx);
  const current = await target.read(tx);
  if (current !== null && !matches(condition, current)) throw preconditionFailed(target.name, condition);
  const result = await target.write(tx);
  const after = result === null ? null : await target.read(tx);
  return { result, etag: after === null ? undefined : etagOf(after) };
}
