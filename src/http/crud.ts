import { z } from 'zod';
import type { Permission } from '../auth/permissions';
import { ETAG_EXAMPLE } from '../openapi/examples';
import { listOf, ok } from '../openapi/schemas';
import { capitalized } from '../lib/words';
import { createHandler, listHandler, removeHandler, showHandler, updateHandler, type CrudRows } from './crud.handlers';
import type { Db } from '../db/db';
import type { HistoryRepository } from '../history/history.repository';
import type { HistoryResource } from '../history/changes';
import type { Page } from '../db/paging';
import { operation, type BodyDoc, type HeaderDoc, type Operation, type QueryDoc } from './operation';
import { Id } from './validate';

/** A list's query: its own filters, and `page` and `limit`, which the answer repeats. */
export type ListSchema = z.ZodObject & z.ZodType<Page>;

/**
 * The five operations of a resource (list, read, create, update, delete). The answer field names
 * are the original API's, which are not regular (`created` / `created_id`, `actor_before` /
 * `old_movie`), so each resource names them.
 */
export type CrudSpec<D, Q extends ListSchema, C extends z.ZodType, U extends z.ZodType> = {
  /** Also the resource whose history records its changes. */
  noun: HistoryResource;
  /** The path, and the plural in the answers' field names. */
  plural: string;
  item: z.ZodType;
  /** What GET /<plural>/:id answers under `<noun>`. */
  detail: z.ZodType;
  listQuery: QueryDoc<Q>;
  create: BodyDoc<C> & { createdField: string };
  update: BodyDoc<U> & { beforeField: string; afterField: string };
  permissions: { read: Permission; create: Permission; update: Permission; remove: Permission };
  notes: { create: string };
  rows: (deps: D) => CrudRows<z.output<Q>, z.output<C>, z.output<U>>;
};

/** Every write records its change in `history`, in the write's own transaction. */
export type CrudDeps = { db: Db; history: HistoryRepository };
type AnySpec<D> = CrudSpec<D, ListSchema, z.ZodType, z.ZodType>;

const stringHeader = (description: string, always = false, example?: string): HeaderDoc => ({
  description,
  schema: { type: 'string' },
  ...(always ? { required: true } : {}),
  ...(example === undefined ? {} : { example }),
});

/** "an actor", "a movie". */
const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

const one = (spec: AnySpec<never>) => ({ tag: spec.plural, path: `/${spec.plural}/:id`, params: { id: capitalized(spec.noun) } });

function list<D extends CrudDeps>(spec: AnySpec<D>): Operation<D> {
  const { plural } = spec;
  return operation({
    method: 'get',
    path: `/${plural}`,
    tag: plural,
    operationId: `list${capitalized(plural)}`,
    summary: `List ${plural}, a page at a time`,
    permission: spec.permissions.read,
    query: spec.listQuery,
    responses: { 200: { description: `A page of ${plural}`, schema: listOf(plural, `all_${plural}`, spec.item) } },
    handler: listHandler(spec),
  });
}

function show<D extends CrudDeps>(spec: AnySpec<D>): Operation<D> {
  const { noun } = spec;
  return operation({
    ...one(spec),
    method: 'get',
    operationId: `get${capitalized(noun)}`,
    summary: `One ${noun}`,
    permission: spec.permissions.read,
    notModified: true,
    responses: {
      200: {
        description: `The ${noun}`,
        headers: {
          ETag: stringHeader(
            'This version of the answer; send it as `If-Match` on PATCH or DELETE to avoid lost updates, or as `If-None-Match` to get 304 while it is current',
            true,
            ETAG_EXAMPLE,
          ),
        },
        schema: ok({ [noun]: spec.detail }),
      },
    },
    handler: showHandler(spec),
  });
}

function create<D extends CrudDeps>(spec: AnySpec<D>): Operation<D> {
  const { noun, plural } = spec;
  const { createdField } = spec.create;
  return operation({
    method: 'post',
    path: `/${plural}`,
    tag: plural,
    operationId: `create${capitalized(noun)}`,
    summary: `Add ${withArticle(noun)}`,
    description: `${spec.notes.create} Unknown fields are refused (422); the id is assigned by the database.`,
    permission: spec.permissions.create,
    body: spec.create,
    responses: {
      201: {
        description: 'Created',
        headers: { Location: stringHeader(`The new ${noun}: \`/${plural}/{id}\``, true, `/${plural}/1`) },
        schema: ok({ [createdField]: Id, [`new_${noun}`]: spec.item }),
      },
    },
    handler: createHandler(spec),
  });
}

function update<D extends CrudDeps>(spec: AnySpec<D>): Operation<D> {
  const { noun, plural } = spec;
  const { beforeField, afterField } = spec.update;
  const newTag = `Only when the request had \`If-Match\`: the new version's tag (what \`GET /${plural}/{id}\` now answers), for the next \`If-Match\``;
  return operation({
    ...one(spec),
    method: 'patch',
    conditional: true,
    operationId: `update${capitalized(noun)}`,
    summary: `Change some fields of ${withArticle(noun)}`,
    description: 'Any non-empty subset of the fields; the whole body is checked before anything changes.',
    permission: spec.permissions.update,
    body: spec.update,
    responses: {
      200: {
        description: `The ${noun} before and after the change`,
        headers: { ETag: stringHeader(newTag, false, ETAG_EXAMPLE) },
        schema: ok({ [beforeField]: spec.item, [afterField]: spec.item }),
      },
    },
    handler: updateHandler(spec),
  });
}

function remove<D extends CrudDeps>(spec: AnySpec<D>): Operation<D> {
  const { noun, plural } = spec;
  return operation({
    ...one(spec),
    method: 'delete',
    conditional: true,
    operationId: `delete${capitalized(noun)}`,
    summary: `Delete ${withArticle(noun)} and its cast entries`,
    permission: spec.permissions.remove,
    responses: {
      200: {
        description: `The deleted ${noun}, and the number of ${plural} just before and after, from the same transaction`,
        schema: ok({
          [`deleted_${noun}_id`]: Id,
          [`deleted_${noun}`]: spec.item,
          [`number_of_${plural}_before`]: z.number().int().min(1),
          [`number_of_${plural}_after`]: z.number().int().min(0),
        }),
      },
    },
    handler: removeHandler(spec),
  });
}

/** List, read, create, update, delete: in the order the document lists them. */
export const crudOperations = <D extends CrudDeps, Q extends ListSchema, C extends z.ZodType, U extends z.ZodType>(
  spec: CrudSpec<D, Q, C, U>,
): Operation<D>[] => [list, show, create, update, remove].map((build) => build(spec as unknown as AnySpec<D>));
