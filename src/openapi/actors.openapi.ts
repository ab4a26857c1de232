import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ActorCreate, ActorPatch } from '../actors/actors.schemas';
import { Permission } from '../auth/permissions';
import { Id, PageQuery } from '../http/validate';
import { defineOperation } from './operation';
import { ActorSchema, IdParams, listOf, ok, PAGE_DESCRIPTIONS } from './schemas';

/** What GET /actors/:id answers as `actor` (issue 3 adds the actor's `movies`). */
export const ActorDetail = ActorSchema;

const location = { Location: { description: 'The new resource: `/actors/{id}`', schema: { type: 'string' as const } } };

export function registerActors(registry: OpenAPIRegistry): void {
  const tag = 'actors';
  defineOperation(registry, {
    method: 'get',
    path: '/actors',
    operationId: 'listActors',
    tag,
    summary: 'List actors, a page at a time',
    permission: Permission.getActors,
    query: { schema: PageQuery, describe: PAGE_DESCRIPTIONS },
    responses: { 200: { description: 'A page of actors, in id order', schema: listOf('actors', 'all_actors', ActorSchema) } },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/actors/{id}',
    operationId: 'getActor',
    tag,
    summary: 'One actor',
    permission: Permission.getActors,
    params: IdParams,
    responses: { 200: { description: 'The actor', schema: ok({ actor: ActorDetail }) } },
  });
  defineOperation(registry, {
    method: 'post',
    path: '/actors',
    operationId: 'createActor',
    tag,
    summary: 'Add an actor',
    description: 'Text is trimmed. Unknown fields are refused (422); the id is assigned by the database.',
    permission: Permission.postActors,
    body: { schema: ActorCreate.meta({ id: 'ActorCreate' }), example: { name: 'Ana', age: 30, gender: 'female' } },
    responses: {
      201: { description: 'Created', headers: location, schema: ok({ created: Id, new_actor: ActorSchema }) },
    },
  });
  defineOperation(registry, {
    method: 'patch',
    path: '/actors/{id}',
    operationId: 'updateActor',
    tag,
    summary: 'Change some fields of an actor',
    description: 'Any non-empty subset of the fields; the whole body is checked before anything changes.',
    permission: Permission.patchActors,
    params: IdParams,
    body: { schema: ActorPatch.meta({ id: 'ActorPatch', minProperties: 1 }), example: { age: 23 } },
    responses: {
      200: { description: 'The actor before and after the change', schema: ok({ actor_before: ActorSchema, modified_actor: ActorSchema }) },
    },
  });
  defineOperation(registry, {
    method: 'delete',
    path: '/actors/{id}',
    operationId: 'deleteActor',
    tag,
    summary: 'Delete an actor and their cast entries',
    permission: Permission.deleteActors,
    params: IdParams,
    responses: {
      200: {
        description: 'The deleted actor, and the number of actors just before and after, from the same transaction',
        schema: ok({
          deleted_actor_id: Id,
          deleted_actor: ActorSchema,
          number_of_actors_before: z.number().int().min(1),
          number_of_actors_after: z.number().int().min(0),
        }),
      },
    },
  });
}
