import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Permission } from '../auth/permissions';
import { MovieCreate, MovieListQuery, MoviePatch } from '../movies/movies.schemas';
import { registerCrud } from './crud.openapi';
import { MOVIE_LIST_DESCRIPTIONS, MovieWithActors } from './casting.openapi';
import { MovieSchema } from './schemas';

/** What GET /movies/:id answers as `movie`: the movie with its cast. */
export const MovieDetail = MovieWithActors;

export function registerMovies(registry: OpenAPIRegistry): void {
  registerCrud(registry, {
    noun: 'movie',
    plural: 'movies',
    item: MovieSchema,
    detail: MovieDetail,
    listQuery: { schema: MovieListQuery, describe: MOVIE_LIST_DESCRIPTIONS },
    create: {
      schema: MovieCreate.meta({ id: 'MovieCreate' }),
      example: { title: 'Heat', release_date: '1995-12-15' },
      createdField: 'created_id',
    },
    update: {
      schema: MoviePatch.meta({ id: 'MoviePatch', minProperties: 1 }),
      example: { release_date: '2006-10-17' },
      beforeField: 'old_movie',
      afterField: 'modified_movie',
    },
    permissions: {
      read: Permission.getMovies,
      create: Permission.postMovies,
      update: Permission.patchMovies,
      remove: Permission.deleteMovies,
    },
    notes: { create: 'The title is trimmed; `release_date` is a real calendar date, `YYYY-MM-DD`, returned exactly as given.' },
  });
}
