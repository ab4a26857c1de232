import { z } from 'zod';
import { Permission } from '../auth/permissions';
import { notFound } from '../http/errors';
import { operation, type Operation } from '../http/operation';
import { setPageLinks } from '../http/page-links';
import type { Db, Queryable } from '../db/db';
import type { Page } from '../db/paging';
import { Id, PageQuery } from '../http/validate';
import { ActorRole, CastMember, Character, PAGE_DESCRIPTIONS, listOf, ok } from '../openapi/schemas';
import { authorOf } from '../history/changes';
import type { HistoryRepository } from '../history/history.repository';
import { castActor as cast, uncastActor as uncast } from './cast-changes';
import { CastBody } from './casting.schemas';
import type { CastingRepository, CastList } from './casting.repository';

export type CastingDeps = { db: Db; casting: CastingRepository; history: HistoryRepository };

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
    handler: async ({ params: { id }, query, req, res }, { db, casting }: CastingDeps) => {
      const { found, items: rows, total } = await read(casting, db, id, query);
      if (!found) throw notFound(`${owner} ${id} not found`);
      setPageLinks(req, res, { page: query.page, limit: query.limit, total });
      res.json({ success: true, [ownerField]: id, [items.key]: rows, [items.countKey]: total, page: query.page, limit: query.limit });
    },
  });
}

const castEntry = ok({ movie_id: Id, actor_id: Id, character: Character });
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
  summary: 'Cast an actor in a movie, as a character (idempotent)',
  description:
    'Changing a cast is changing a movie. The body is optional: `{"character": "…"}` sets the character the actor plays ' +
    '(trimmed, 1–200 characters; `null` clears it). Without a body a new entry has no character and an existing one is left ' +
    'as it is. 404 names the movie or the actor that does not exist.',
  body: { schema: CastBody, example: { character: 'Alfred Borden' } },
  responses: {
    201: { description: 'Newly cast', schema: castEntry },
    200: { description: 'Was already cast; its character is set when the body names one', schema: castEntry },
  },
  handler: async ({ params: { id: movieId, actorId }, body, req, res }, deps: CastingDeps) => {
    const result = await cast(deps, authorOf(req), { movieId, actorId }, body?.character);
    res.status(result.added ? 201 : 200).json({ success: true, movie_id: movieId, actor_id: actorId, character: result.character });
  },
});

const uncastActor = operation({
  ...entry,
  method: 'delete',
  operationId: 'uncastActor',
  summary: 'Remove an actor from the cast of a movie',
  description: '404 when the actor was not cast in the movie, or either does not exist.',
  responses: { 200: { description: 'Removed from the cast', schema: ok({ movie_id: Id, actor_id: Id }) } },
  handler: async ({ params: { id: movieId, actorId }, req, res }, deps: CastingDeps) => {
    await uncast(deps, authorOf(req), { movieId, actorId });
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
    items: { key: 'actors', countKey: 'all_actors', schema: CastMember, description: 'A page of the cast' },
    read: (casting, db, id, page) => casting.actorsOf(db, id, page),
  }),
  castList({
    owner: 'Actor',
    path: '/actors/:id/movies',
    operationId: 'listActorMovies',
    summary: 'The movies an actor is cast in',
    items: { key: 'movies', countKey: 'all_movies', schema: ActorRole, description: 'A page of movies' },
    read: (casting, db, id, page) => casting.moviesOf(db, id, page),
  }),
  castActor,
  uncastActor,
];
