import { z } from 'zod';
import { Permission } from '../auth/permissions';
import { notFound } from '../http/errors';
import { operation, type Operation } from '../http/operation';
import type { Db, Queryable } from '../db/db';
import type { Page } from '../db/paging';
import { Id, PageQuery } from '../http/validate';
import { ActorSchema, MovieSchema, PAGE_DESCRIPTIONS, listOf, ok } from '../openapi/schemas';
import type { CastChange, CastingRepository, CastList } from './casting.repository';

export type CastingDeps = { db: Db; casting: CastingRepository };

/** 404 naming whichever of the two does not exist. */
function requireBoth({ movie, actor }: CastChange, movieId: number, actorId: number): void {
  if (!movie && !actor) throw notFound(`Movie ${movieId} and actor ${actorId} not found`);
  if (!movie) throw notFound(`Movie ${movieId} not found`);
  if (!actor) throw notFound(`Actor ${actorId} not found`);
}

type CastListSpec = {
  owner: 'Movie' | 'Actor';
  path: string;
  operationId: string;
  summary: string;
  /** The other side: the answer's list and count fields and their item. */
  items: { key: string; countKey: string; schema: z.ZodType; description: string };
  read: (casting: CastingRepository, db: Queryable, id: number, page: Page) => Promise<CastList<unknown>>;
};

/** One side of the cast, a page at a time: the cast of a movie, or the movies of an actor. */
function castList({ owner, items, read, ...spec }: CastListSpec): Operation<CastingDeps> {
  const ownerField = `${owner.toLowerCase()}_id`;
  return operation({
    ...spec,
    method: 'get',
    tag: owner === 'Movie' ? 'movies' : 'actors',
    permission: owner === 'Movie' ? Permission.getMovies : Permission.getActors,
    params: { id: owner },
    query: { schema: PageQuery, describe: PAGE_DESCRIPTIONS },
    responses: {
      200: { description: items.description, schema: listOf(items.key, items.countKey, items.schema).extend({ [ownerField]: Id }) },
    },
    handler: async ({ params: { id }, query, res }, { db, casting }: CastingDeps) => {
      const { found, items: rows, total } = await read(casting, db, id, query);
      if (!found) throw notFound(`${owner} ${id} not found`);
      res.json({ success: true, [ownerField]: id, [items.key]: rows, [items.countKey]: total, page: query.page, limit: query.limit });
    },
  });
}

const castEntry = ok({ movie_id: Id, actor_id: Id });
const entry = {
  path: '/movies/:id/actors/:actorId',
  tag: 'movies',
  permission: Permission.patchMovies,
  params: { id: 'Movie', actorId: 'Actor' },
} as const;

const castActor = operation({
  ...entry,
  method: 'put',
  operationId: 'castActor',
  summary: 'Cast an actor in a movie (idempotent)',
  description: 'Changing a cast is changing a movie. 404 names the movie or the actor that does not exist.',
  responses: {
    201: { description: 'Newly cast', schema: castEntry },
    200: { description: 'Was already cast; nothing changed', schema: castEntry },
  },
  handler: async ({ params: { id: movieId, actorId }, res }, { db, casting }: CastingDeps) => {
    const result = await casting.cast(db, movieId, actorId);
    requireBoth(result, movieId, actorId);
    res.status(result.changed ? 201 : 200).json({ success: true, movie_id: movieId, actor_id: actorId });
  },
});

const uncastActor = operation({
  ...entry,
  method: 'delete',
  operationId: 'uncastActor',
  summary: 'Remove an actor from the cast of a movie',
  description: '404 when the actor was not cast in the movie, or either does not exist.',
  responses: { 200: { description: 'Removed from the cast', schema: castEntry } },
  handler: async ({ params: { id: movieId, actorId }, res }, { db, casting }: CastingDeps) => {
    const result = await casting.uncast(db, movieId, actorId);
    requireBoth(result, movieId, actorId);
    if (!result.changed) throw notFound(`Actor ${actorId} is not cast in movie ${movieId}`);
    res.json({ success: true, movie_id: movieId, actor_id: actorId });
  },
});

/** The two cast lists and PUT/DELETE of one cast entry, in the order the document lists them. */
export const castingOperations: readonly Operation<CastingDeps>[] = [
  castList({
    owner: 'Movie',
    path: '/movies/:id/actors',
    operationId: 'listMovieActors',
    summary: 'The cast of a movie',
    items: { key: 'actors', countKey: 'all_actors', schema: ActorSchema, description: 'A page of the cast' },
    read: (casting, db, id, page) => casting.actorsOf(db, id, page),
  }),
  castList({
    owner: 'Actor',
    path: '/actors/:id/movies',
    operationId: 'listActorMovies',
    summary: 'The movies an actor is cast in',
    items: { key: 'movies', countKey: 'all_movies', schema: MovieSchema, description: 'A page of movies' },
    read: (casting, db, id, page) => casting.moviesOf(db, id, page),
  }),
  castActor,
  uncastActor,
];
