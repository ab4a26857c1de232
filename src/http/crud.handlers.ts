import type { z } from 'zod';
import type { Queryable } from '../db/db';
import { authorOf, created, deleted, updated, type CastEntry } from '../history/changes';
import { capitalized } from '../lib/words';
import { writeIfMatch, type ConditionalTarget } from './conditional-write';
import type { CrudDeps, CrudSpec, ListSchema } from './crud';
import { etagOf } from './etag';
import { notFound } from './errors';
import type { Handler } from './operation';
import { setPageLinks } from './page-links';
import { markTableSearched } from './rate-limit';

/*
 * The handlers of the five operations of a resource, for any table: each calls the table's
 * repository (`spec.rows`) and names the answer's fields as the resource does. Each write is one
 * `db.transaction`: the change, then its history entry (src/history/), so both commit or neither.
 */

/** What the five operations ask of a table's repository, each on the `Queryable` it is given. */
export type CrudRows<Q, C, U> = {
  list(db: Queryable, query: Q): Promise<{ items: unknown[]; total: number; searchedTable: boolean }>;
  /** The representation GET by id answers (and its ETag hashes). */
  find(db: Queryable, id: number): Promise<object | null>;
  /** Locks the row until the transaction ends (a conditional write compares, then writes). */
  lock(tx: Queryable, id: number): Promise<boolean>;
  create(db: Queryable, input: C): Promise<Row>;
  update(db: Queryable, id: number, patch: U): Promise<{ before: Row; after: Row } | null>;
  /** Locks the row, removes its cast entries (`uncast`), then the row; in the transaction `tx`. */
  remove(tx: Queryable, id: number): Promise<{ deleted: Row; countBefore: number; countAfter: number; uncast: CastEntry[] } | null>;
};

/** A row's own fields, as its history records them. */
type Row = { id: number } & Record<string, unknown>;

type Spec<D> = CrudSpec<D, ListSchema, z.ZodType, z.ZodType>;
type ById = { readonly id: number };

const missing = ({ noun }: Spec<never>, id: number) => notFound(`${capitalized(noun)} ${id} not found`);

/** The row a conditional write locks and compares: what GET by id answers. */
const conditional = <T>(
  spec: Spec<never>,
  rows: CrudRows<unknown, unknown, unknown>,
  id: number,
  write: ConditionalTarget<T>['write'],
) => ({
  name: `${capitalized(spec.noun)} ${id}`,
  lock: (tx: Queryable) => rows.lock(tx, id),
  read: (db: Queryable) => rows.find(db, id),
  write,
});

export const listHandler =
  <D extends CrudDeps>({ plural, rows }: Spec<D>): Handler<D, unknown, z.output<ListSchema>, undefined> =>
  async ({ query, req, res }, deps) => {
    const { items, total, searchedTable } = await rows(deps).list(deps.db, query);
    if (searchedTable) markTableSearched(res);
    setPageLinks(req, res, { page: query.page, limit: query.limit, total });
    res.json({ success: true, [plural]: items, [`all_${plural}`]: total, page: query.page, limit: query.limit });
  };

export const showHandler =
  <D extends CrudDeps>(spec: Spec<D>): Handler<D, ById, undefined, undefined> =>
  async ({ params: { id }, res }, deps) => {
    const found = await spec.rows(deps).find(deps.db, id);
    if (!found) throw missing(spec, id);
    res.set('ETag', etagOf(found)).json({ success: true, [spec.noun]: found });
  };

export const createHandler =
  <D extends CrudDeps>({ noun, plural, create, rows }: Spec<D>): Handler<D, unknown, undefined, unknown> =>
  async ({ body, req, res }, deps) => {
    const row = await deps.db.transaction(async (tx) => {
      const inserted = await rows(deps).create(tx, body);
      await deps.history.record(tx, authorOf(req), created(noun, inserted));
      return inserted;
    });
    res
      .status(201)
      .location(`/${plural}/${row.id}`)
      .json({ success: true, [create.createdField]: row.id, [`new_${noun}`]: row });
  };

export const updateHandler =
  <D extends CrudDeps>(spec: Spec<D>): Handler<D, ById, undefined, unknown> =>
  async ({ params: { id }, body, req, res }, deps) => {
    const rows = spec.rows(deps);
    const target = conditional(spec, rows, id, (tx) => rows.update(tx, id, body));
    const { result, etag } = await deps.db.transaction(async (tx) => {
      const written = await writeIfMatch(tx, req.get('If-Match'), target);
      if (written.result) await deps.history.record(tx, authorOf(req), updated(spec.noun, written.result.before, written.result.after));
      return written;
    });
    if (!result) throw missing(spec, id);
    if (etag !== undefined) res.set('ETag', etag);
    res.json({ success: true, [spec.update.beforeField]: result.before, [spec.update.afterField]: result.after });
  };

export const removeHandler =
  <D extends CrudDeps>(spec: Spec<D>): Handler<D, ById, undefined, undefined> =>
  async ({ params: { id }, req, res }, deps) => {
    const { noun, plural } = spec;
    const rows = spec.rows(deps);
    const target = conditional(spec, rows, id, (tx) => rows.remove(tx, id));
    const { result } = await deps.db.transaction(async (tx) => {
      const written = await writeIfMatch(tx, req.get('If-Match'), target);
      if (written.result) await deps.history.record(tx, authorOf(req), deleted(noun, written.result.deleted, written.result.uncast));
      return written;
    });
    if (!result) throw missing(spec, id);
    res.json({
      success: true,
      [`deleted_${noun}_id`]: id,
      [`deleted_${noun}`]: result.deleted,
      [`number_of_${plural}_before`]: result.countBefore,
      [`number_of_${plural}_after`]: result.countAfter,
    });
  };
