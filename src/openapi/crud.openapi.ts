import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Permission } from '../auth/permissions';
import { Id } from '../http/validate';
import { defineOperation, type OperationSpec } from './operation';
import { IdParams, listOf, ok } from './schemas';

/**
 * The five routes of a resource router (list, read, create, update, delete). The answer field names
 * are the original API's, which are not regular (`created` / `created_id`, `actor_before` /
 * `old_movie`), so each resource names them.
 */
export type CrudSpec = {
  noun: string;
  plural: string;
  item: z.ZodType;
  /** What GET /<plural>/{id} answers under `<noun>`. */
  detail: z.ZodType;
  listQuery: NonNullable<OperationSpec['query']>;
  create: { schema: z.ZodType; example: unknown; createdField: string };
  update: { schema: z.ZodType; example: unknown; beforeField: string; afterField: string };
  permissions: { read: Permission; create: Permission; update: Permission; remove: Permission };
  notes: { create: string };
};

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function registerCrud(registry: OpenAPIRegistry, spec: CrudSpec): void {
  const { noun, plural, item, permissions } = spec;
  const Noun = capitalized(noun);
  const base = { tag: plural, path: `/${plural}` };
  const one = { tag: plural, path: `/${plural}/{id}`, params: IdParams };
  const etag = {
    ETag: { description: 'This version of the answer; send it as `If-Match` on PATCH or DELETE to avoid lost updates', schema: { type: 'string' as const } },
  };
  const location = { Location: { description: `The new ${noun}: \`/${plural}/{id}\``, schema: { type: 'string' as const } } };

  defineOperation(registry, {
    ...base,
    method: 'get',
    operationId: `list${capitalized(plural)}`,
    summary: `List ${plural}, a page at a time`,
    permission: permissions.read,
    query: spec.listQuery,
    responses: { 200: { description: `A page of ${plural}`, schema: listOf(plural, `all_${plural}`, item) } },
  });
  defineOperation(registry, {
    ...one,
    method: 'get',
    operationId: `get${Noun}`,
    summary: `One ${noun}`,
    permission: permissions.read,
    responses: { 200: { description: `The ${noun}`, headers: etag, schema: ok({ [noun]: spec.detail }) } },
  });
  defineOperation(registry, {
    ...base,
    method: 'post',
    operationId: `create${Noun}`,
    summary: `Add a ${noun}`,
    description: `${spec.notes.create} Unknown fields are refused (422); the id is assigned by the database.`,
    permission: permissions.create,
    body: { schema: spec.create.schema, example: spec.create.example },
    responses: {
      201: { description: 'Created', headers: location, schema: ok({ [spec.create.createdField]: Id, [`new_${noun}`]: item }) },
    },
  });
  defineOperation(registry, {
    ...one,
    method: 'patch',
    conditional: true,
    operationId: `update${Noun}`,
    summary: `Change some fields of a ${noun}`,
    description: 'Any non-empty subset of the fields; the whole body is checked before anything changes.',
    permission: permissions.update,
    body: { schema: spec.update.schema, example: spec.update.example },
    responses: {
      200: {
        description: `The ${noun} before and after the change`,
        headers: {
          ETag: {
            description: `Only when the request had \`If-Match\`: the new version's tag (what \`GET /${plural}/{id}\` now answers), for the next \`If-Match\``,
            schema: { type: 'string' as const },
          },
        },
        schema: ok({ [spec.update.beforeField]: item, [spec.update.afterField]: item }),
      },
    },
  });
  defineOperation(registry, {
    ...one,
    method: 'delete',
    conditional: true,
    operationId: `delete${Noun}`,
    summary: `Delete a ${noun} and its cast entries`,
    permission: permissions.remove,
    responses: {
      200: {
        description: `The deleted ${noun}, and the number of ${plural} just before and after, from the same transaction`,
        schema: ok({
          [`deleted_${noun}_id`]: Id,
          [`deleted_${noun}`]: item,
          [`number_of_${plural}_before`]: z.number().int().min(1),
          [`number_of_${plural}_after`]: z.number().int().min(0),
        }),
      },
    },
  });
}
