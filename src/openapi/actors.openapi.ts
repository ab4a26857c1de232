import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ActorCreate, ActorPatch } from '../actors/actors.schemas';
import { Permission } from '../auth/permissions';
import { PageQuery } from '../http/validate';
import { registerCrud } from './crud.openapi';
import { ActorSchema, PAGE_DESCRIPTIONS } from './schemas';

/** What GET /actors/:id answers as `actor` (issue 3 adds the actor's `movies`: ActorWithMovies). */
export const ActorDetail = ActorSchema;

export function registerActors(registry: OpenAPIRegistry): void {
  registerCrud(registry, {
    noun: 'actor',
    plural: 'actors',
    item: ActorSchema,
    detail: ActorDetail,
    listQuery: { schema: PageQuery, describe: PAGE_DESCRIPTIONS },
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
