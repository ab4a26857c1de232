import { z } from 'zod';
import { Id } from '../http/validate';
import { ActorSchema, Character, MovieSchema } from '../openapi/schemas';

/*
 * A `Change` as the history lists show it: one variant per `action`, so a client (and the document)
 * knows exactly what `before` and `after` hold.
 */
export const CastEntrySchema = z
  .strictObject({ movie_id: Id, actor_id: Id, character: Character })
  .meta({ id: 'CastEntry', description: 'A cast entry: who plays whom in which movie' });

const At = z.iso.datetime({ precision: 3 }).meta({
  description: 'When the change was made: RFC 3339, UTC, milliseconds, from the database clock',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$',
  example: '2026-12-01T15:22:37.123Z',
});

const base = {
  id: z.number().int().positive().meta({ description: 'The change; one id however many histories list it', example: 17 }),
  at: At,
  by: z.string().min(1).meta({ description: 'The `sub` of the token that made the change', example: 'auth0|5f1c0e' }),
};

const variant = <A extends string>(action: A, before: z.ZodType, after: z.ZodType) =>
  z.strictObject({ ...base, action: z.literal(action), before, after });

/** The variants for a resource (`item`): its own changes, then its cast's. */
const changeOf = (id: string, item: z.ZodType, example: object) =>
  z
    .discriminatedUnion('action', [
      variant('created', z.null(), item),
      variant('updated', item, item),
      variant('deleted', item, z.null()),
      variant('cast_added', z.null(), CastEntrySchema),
      variant('cast_updated', CastEntrySchema, CastEntrySchema),
      variant('cast_removed', CastEntrySchema, z.null()),
    ])
    .meta({
      id,
      description:
        "`created`, `updated`, `deleted`: the resource's own fields before and after (`null` where there is none); " +
        "`cast_added`, `cast_updated`, `cast_removed`: the cast entry before and after, listed in both the movie's and the actor's history",
      example,
    });

const CHANGE = { id: 17, at: '2026-12-01T15:22:37.123Z', by: 'auth0|5f1c0e' };
export const ActorChange = changeOf('ActorChange', ActorSchema, {
  ...CHANGE,
  action: 'updated',
  before: { id: 1, name: 'Kevin', age: 21, gender: 'male' },
  after: { id: 1, name: 'Kevin', age: 22, gender: 'male' },
});
export const MovieChange = changeOf('MovieChange', MovieSchema, {
  ...CHANGE,
  action: 'cast_updated',
  before: { movie_id: 1, actor_id: 1, character: null },
  after: { movie_id: 1, actor_id: 1, character: 'Alfred Borden' },
});
