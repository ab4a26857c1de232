import type { Db } from '../db/db';
import type { Page } from '../http/validate';
import { offsetOf } from '../http/validate';
import type { Movie, MovieCreate, MoviePatch } from './movies.schemas';

const LIST = `
  SELECT (SELECT sum(n) FROM row_counts WHERE table_name = 'movies')::int AS total,
         COALESCE((SELECT json_agg(p ORDER BY p.id)
                   FROM (SELECT id, title, release_date FROM movies ORDER BY id LIMIT $1 OFFSET $2) p), '[]') AS items`;

const FIND_BY_ID = 'SELECT id, title, release_date FROM movies WHERE id = $1';

const INSERT = 'INSERT INTO movies (title, release_date) VALUES ($1, $2) RETURNING id, title, release_date';

// The CTE locks the row, so `before` is the version this UPDATE replaces, even under concurrent PATCHes.
const UPDATE = `
  WITH before AS (SELECT id, title, release_date FROM movies WHERE id = $1 FOR UPDATE)
  UPDATE movies m
     SET title = COALESCE($2::text, m.title), release_date = COALESCE($3::date, m.release_date)
    FROM before b
   WHERE m.id = b.id
  RETURNING m.id, m.title, m.release_date, row_to_json(b) AS before`;

// The counter (migration 003) is read in the DELETE's own snapshot: the number of movies just before this delete.
const DELETE = `
  WITH deleted AS (DELETE FROM movies WHERE id = $1 RETURNING id, title, release_date)
  SELECT d.id, d.title, d.release_date, (SELECT sum(n) FROM row_counts WHERE table_name = 'movies')::int AS count_before FROM deleted d`;

export type MovieList = { items: Movie[]; total: number };
export type MovieUpdate = { before: Movie; after: Movie };
export type MovieDeletion = { deleted: Movie; countBefore: number; countAfter: number };

export function moviesRepository(db: Db) {
  return {
    async list(page: Page): Promise<MovieList> {
      const [row] = await db.query<MovieList>(LIST, [page.limit, offsetOf(page)]);
      return row ?? { items: [], total: 0 };
    },

    async findById(id: number): Promise<Movie | null> {
      const [row] = await db.query<Movie>(FIND_BY_ID, [id]);
      return row ?? null;
    },

    async create(input: MovieCreate): Promise<Movie> {
      const [row] = await db.query<Movie>(INSERT, [input.title, input.release_date]);
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return row;
    },

    async update(id: number, patch: MoviePatch): Promise<MovieUpdate | null> {
      const [row] = await db.query<Movie & { before: Movie }>(UPDATE, [id, patch.title ?? null, patch.release_date ?? null]);
      if (!row) return null;
      const { before, ...after } = row;
      return { before, after };
    },

    async remove(id: number): Promise<MovieDeletion | null> {
      const [row] = await db.query<Movie & { count_before: number }>(DELETE, [id]);
      if (!row) return null;
      const { count_before: countBefore, ...deleted } = row;
      return { deleted, countBefore, countAfter: countBefore - 1 };
    },
  };
}
export type MoviesRepository = ReturnType<typeof moviesRepository>;
