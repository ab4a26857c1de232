import { Permission } from '../auth/permissions';
import { crudOperations, type CrudDeps } from '../http/crud';
import { MovieSchema, MovieWithActors, PAGE_DESCRIPTIONS } from '../openapi/schemas';
import type { MoviesRepository } from './movies.repository';
import { MovieCreate, MovieListQuery, MoviePatch } from './movies.schemas';

export type MovieDeps = CrudDeps & { movies: MoviesRepository };

const LIST_PARAMETERS = {
  ...PAGE_DESCRIPTIONS,
  q: 'Case-insensitive part of the title',
  sort: '`id`, `title` or `release_date`; `-` in front for descending; ties broken by id',
  released_after: 'Only movies released on or after this date',
  released_before: 'Only movies released on or before this date',
};

/** `/movies` and `/movies/:id`; GET by id answers the movie with its cast. */
export const movieOperations = crudOperations({
  noun: 'movie',
  plural: 'movies',
  item: MovieSchema,
  detail: MovieWithActors,
  listQuery: { schema: MovieListQuery, describe: LIST_PARAMETERS },
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
  rows: ({ movies }: MovieDeps) => ({ ...movies, find: movies.findWithActors }),
});
