import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Permission } from '../auth/permissions';
import { Id, PageQuery } from '../http/validate';
import { defineOperation } from './operation';
import { ActorSchema, IdParam, MovieSchema, PAGE_DESCRIPTIONS, listOf, ok } from './schemas';

export const ActorWithMovies = ActorSchema.extend({ movies: z.array(MovieSchema) }).meta({ id: 'ActorWithMovies' });
export const MovieWithActors = MovieSchema.extend({ actors: z.array(ActorSchema) }).meta({ id: 'MovieWithActors' });

/** Descriptions of issue 3's list filters, for `query: { schema: <its list schema>, describe: … }`. */
export const ACTOR_LIST_DESCRIPTIONS = {
  ...PAGE_DESCRIPTIONS,
  q: 'Case-insensitive part of the name',
  sort: '`id`, `name` or `age`; `-` in front for descending; ties broken by id',
  gender: 'Only actors of this gender',
  min_age: 'Only actors at least this old',
  max_age: 'Only actors at most this old',
};
export const MOVIE_LIST_DESCRIPTIONS = {
  ...PAGE_DESCRIPTIONS,
  q: 'Case-insensitive part of the title',
  sort: '`id`, `title` or `release_date`; `-` in front for descending; ties broken by id',
  released_after: 'Only movies released on or after this date',
  released_before: 'Only movies released on or before this date',
};

const CastParams = z.strictObject({ id: IdParam, actorId: IdParam });
const castEntry = ok({ movie_id: Id, actor_id: Id });

export function registerCasting(registry: OpenAPIRegistry): void {
  const page = { schema: PageQuery, describe: PAGE_DESCRIPTIONS };
  defineOperation(registry, {
    method: 'get',
    path: '/movies/{id}/actors',
    operationId: 'listMovieActors',
    tag: 'movies',
    summary: 'The cast of a movie',
    permission: Permission.getMovies,
    params: z.strictObject({ id: IdParam }),
    query: page,
    responses: { 200: { description: 'A page of the cast', schema: listOf('actors', 'all_actors', ActorSchema).extend({ movie_id: Id }) } },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/actors/{id}/movies',
    operationId: 'listActorMovies',
    tag: 'actors',
    summary: 'The movies an actor is cast in',
    permission: Permission.getActors,
    params: z.strictObject({ id: IdParam }),
    query: page,
    responses: { 200: { description: 'A page of movies', schema: listOf('movies', 'all_movies', MovieSchema).extend({ actor_id: Id }) } },
  });
  const cast = { tag: 'movies', permission: Permission.patchMovies, params: CastParams, path: '/movies/{id}/actors/{actorId}' } as const;
  defineOperation(registry, {
    ...cast,
    method: 'put',
    operationId: 'castActor',
    summary: 'Cast an actor in a movie (idempotent)',
    description: 'Changing a cast is changing a movie. 404 names the movie or the actor that does not exist.',
    responses: {
      201: { description: 'Newly cast', schema: castEntry },
      200: { description: 'Was already cast; nothing changed', schema: castEntry },
    },
  });
  defineOperation(registry, {
    ...cast,
    method: 'delete',
    operationId: 'uncastActor',
    summary: 'Remove an actor from the cast of a movie',
    description: '404 when the actor was not cast in the movie, or either does not exist.',
    responses: { 200: { description: 'Removed from the cast', schema: castEntry } },
  });
}
