import { Permission } from '../auth/permissions';
import { crudOperations, type CrudDeps } from '../http/crud';
import { ActorSchema, ActorWithMovies, PAGE_DESCRIPTIONS } from '../openapi/schemas';
import type { ActorsRepository } from './actors.repository';
import { ActorCreate, ActorListQuery, ActorPatch } from './actors.schemas';

export type ActorDeps = CrudDeps & { actors: ActorsRepository };

const LIST_PARAMETERS = {
  ...PAGE_DESCRIPTIONS,
  q: 'Case-insensitive part of the name',
  sort: '`id`, `name` or `age`; `-` in front for descending; ties broken by id',
  gender: 'Only actors of this gender',
  min_age: 'Only actors at least this old',
  max_age: 'Only actors at most this old',
};

/** `/actors` and `/actors/:id`; GET by id answers the actor with the movies they are cast in. */
export const actorOperations = crudOperations({
  noun: 'actor',
  plural: 'actors',
  item: ActorSchema,
  detail: ActorWithMovies,
  listQuery: { schema: ActorListQuery, describe: LIST_PARAMETERS },
  create: { schema: ActorCreate.meta({ id: 'ActorCreate' }), example: { name: 'Ana', age: 30, gender: 'female' }, createdField: 'created' },
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
  rows: ({ actors }: ActorDeps) => ({ ...actors, find: actors.findWithMovies }),
});
