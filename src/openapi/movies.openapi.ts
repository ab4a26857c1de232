import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Permission } from '../auth/permissions';
import { PageQuery } from '../http/validate';
import { MovieCreate, MoviePatch } from '../movies/movies.schemas';
import { registerCrud } from './crud.openapi';
import { MovieSchema, PAGE_DESCRIPTIONS } from './schemas';

/** What GET /movies/:id answers as `movie` (issue 3 adds the movie's `actors`: MovieWithActors). */
export const MovieDetail = MovieSchema;

export function registerMovies(registry: OpenAPIRegistry): void {
  registerCrud(registry, {
    noun: 'movie',
    plural: 'movies',
    item: MovieSchema,
    detail: MovieDetail,
    listQuery: { schema: PageQuery, describe: PAGE_DESCRIPTIONS },
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
