import type { z } from 'zod';
import type { Queryable } from '../db/db';
import { capitalized } from '../lib/words';
import { writeIfMatch, type ConditionalTarget } from './conditional-write';
import type { CrudDeps, CrudSpec, ListSchema } from './crud';
import { etagOf } from './etag';
import { notFound } from './errors';
import type { Handler } from './operation';
import { markTableSearched } from './rate-limit';

/*
 * The handlers of the five operations of a resource, for any table: each calls the table's
 * repository (`spec.rows`) and names the answer's fields as the resource does.
 */

/** What the five operations ask of a table's repository, each on the `Queryable` it is given. */
export type CrudRows<Q, C, U> = {
  list(db: Queryable, query: Q): Promise<{ items: unknown[]; total: number; searchedTable: boolean }>;
  /** The representation GET by id answers (and its ETag hashes). */
  find(db: Queryable, id: number): Promise<object | null>;
  /** Locks the row until the transaction ends (a conditional write compares, then writes). */
  lock(tx: Queryable, id: number): Promise<boolean>;
  create(db: Queryable, input: C): Promise<{ id: number }>;
  update(db: Queryable, id: number, patch: U): Promise<{ before: unknown; after: unknown } | null>;
  remove(db: Queryable, id: number): Promise<{ deleted: unknown; countBefore: number; countAfter: number } | null>;
};

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
  async ({ query, res }, deps) => {
    const { items, total, searchedTable } = await rows(deps).list(deps.db, query);
    if (searchedTable) markTableSearched(res);
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
  async ({ body, res }, deps) => {
    const created = await rows(deps).create(deps.db, body);
    res
      .status(201)
      .location(`/${plural}/${created.id}`)
      .json({ success: true, [create.createdField]: created.id, [`new_${noun}`]: created });
  };

export const updateHandler =
  <D extends CrudDeps>(spec: Spec<D>): Handler<D, ById, undefined, unknown> =>
  async ({ params: { id }, body, req, res }, deps) => {
    const rows = spec.rows(deps);
    const target = conditional(spec, rows, id, (db) => rows.update(db, id, body));
    const { result, etag } = await writeIfMatch(deps.db, req.get('If-Match'), target);
    if (!result) throw missing(spec, id);
    if (etag !== undefined) res.set('ETag', etag);
    res.json({ success: true, [spec.update.beforeField]: result.before, [spec.update.afterField]: result.after });
  };

export const removeHandler =
  <D extends CrudDeps>(spec: Spec<D>): Handler<D, ById, undefined, undefined> =>
  async ({ params: { id }, req, res }, deps) => {
    const { noun, plural } = spec;
    const rows = spec.rows(deps);
    const { result } = await writeIfMatch(
      deps.db,
      req.get('If-Match'),
      conditional(spec, rows, id, (db) => rows.remove(db, id)),
    );
    if (!result) throw missing(spec, id);
    res.json({
      success: true,
      [`deleted_${noun}_id`]: id,
      [`deleted_${noun}`]: result.deleted,
      [`number_of_${plural}_before`]: result.countBefore,
      [`number_of_${plural}_after`]: result.countAfter,
    });
  };
