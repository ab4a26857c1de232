import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ActorCreate, ActorListQuery, ActorPatch } from '../actors/actors.schemas';
import { Permission } from '../auth/permissions';
import { registerCrud } from './crud.openapi';
import { ACTOR_LIST_DESCRIPTIONS, ActorWithMovies } from './casting.openapi';
import { ActorSchema } from './schemas';

/** What GET /actors/:id answers as `actor`: the actor with the movies they are cast in. */
export const ActorDetail = ActorWithMovies;

export function registerActors(registry: OpenAPIRegistry): void {
  registerCrud(registry, {
    noun: 'actor',
    plural: 'actors',
    item: ActorSchema,
    detail: ActorDetail,
    listQuery: { schema: ActorListQuery, describe: ACTOR_LIST_DESCRIPTIONS },
    create: {
      schema: ActorCreate.meta({ id: 'ActorCreate' }),
      example: { name: 'Ana', age: 30, gender: 'female' },
      createdField: 'created',
    },
    update: {
      schema: ActorPatch.meta({ id: 'ActorPatch', minProperties: 1 }),
      example: { age: 23 },
      beforeField: 'actor_before',
      afterField: 'modified_actor',
    },
    permissions: {
      read: Permission.getActors,
      create: Permission.postActors,
      update: Permission.patchActors,
      remove: Permission.deleteActors,
    },
    notes: { create: 'Name and gender are trimmed.' },
  });
}
