import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Permission } from '../auth/permissions';
import { Id, PageQuery } from '../http/validate';
import { MovieCreate, MoviePatch } from '../movies/movies.schemas';
import { defineOperation } from './operation';
import { IdParams, MovieSchema, listOf, ok, PAGE_DESCRIPTIONS } from './schemas';

/** What GET /movies/:id answers as `movie` (issue 3 adds the movie's `actors`). */
export const MovieDetail = MovieSchema;

const location = { Location: { description: 'The new resource: `/movies/{id}`', schema: { type: 'string' as const } } };

export function registerMovies(registry: OpenAPIRegistry): void {
  const tag = 'movies';
  defineOperation(registry, {
    method: 'get',
    path: '/movies',
    operationId: 'listMovies',
    tag,
    summary: 'List movies, a page at a time',
    permission: Permission.getMovies,
    query: { schema: PageQuery, describe: PAGE_DESCRIPTIONS },
    responses: { 200: { description: 'A page of movies, in id order', schema: listOf('movies', 'all_movies', MovieSchema) } },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/movies/{id}',
    operationId: 'getMovie',
    tag,
    summary: 'One movie',
    permission: Permission.getMovies,
    params: IdParams,
    responses: { 200: { description: 'The movie', schema: ok({ movie: MovieDetail }) } },
  });
  defineOperation(registry, {
    method: 'post',
    path: '/movies',
    operationId: 'createMovie',
    tag,
    summary: 'Add a movie',
    description: '`release_date` is a real calendar date, `YYYY-MM-DD`, returned exactly as given. Unknown fields are refused (422).',
    permission: Permission.postMovies,
    body: { schema: MovieCreate.meta({ id: 'MovieCreate' }), example: { title: 'Heat', release_date: '1995-12-15' } },
    responses: {
      201: { description: 'Created', headers: location, schema: ok({ created_id: Id, new_movie: MovieSchema }) },
    },
  });
  defineOperation(registry, {
    method: 'patch',
    path: '/movies/{id}',
    operationId: 'updateMovie',
    tag,
    summary: 'Change some fields of a movie',
    description: 'Any non-empty subset of the fields; the whole body is checked before anything changes.',
    permission: Permission.patchMovies,
    params: IdParams,
    body: { schema: MoviePatch.meta({ id: 'MoviePatch', minProperties: 1 }), example: { release_date: '2006-10-17' } },
    responses: {
      200: { description: 'The movie before and after the change', schema: ok({ old_movie: MovieSchema, modified_movie: MovieSchema }) },
    },
  });
  defineOperation(registry, {
    method: 'delete',
    path: '/movies/{id}',
    operationId: 'deleteMovie',
    tag,
    summary: 'Delete a movie and its cast entries',
    permission: Permission.deleteMovies,
    params: IdParams,
    responses: {
      200: {
        description: 'The deleted movie, and the number of movies just before and after, from the same transaction',
        schema: ok({
          deleted_movie_id: Id,
          deleted_movie: MovieSchema,
          number_of_movies_before: z.number().int().min(1),
          number_of_movies_after: z.number().int().min(0),
        }),
      },
    },
  });
}
