import type { Actor } from '../actors/actors.schemas';
import type { Queryable } from '../db/db';
import type { CastEntry } from '../history/changes';
import { searchCache, type ListCacheOptions } from '../db/list-cache';
import type { ListSpec, TotalSource } from '../db/list-sql';
import type { Movie, MovieCreate, MovieListQuery, MoviePatch } from './movies.schemas';

const COLUMNS = 'm.id, m.title, m.release_date';

/**
 * `all_movies` is computed here and nowhere else, so that the unfiltered count (`filtered` false) can
 * be served from a kept counter instead of counting the table.
 */
const totalSql = ({ from, filtered }: TotalSource) =>
  filtered ? `(SELECT count(*) FROM ${from})::int` : `(SELECT sum(n) FROM row_counts WHERE table_name = 'movies')::int`;

type SortField = MovieListQuery['sort']['field'];
type Filter = 'released_after' | 'released_before';

const LIST = {
  table: 'movies',
  alias: 'm',
  columns: COLUMNS,
  sortColumns: { id: 'id', title: 'title', release_date: 'release_date' },
  filters: {
    q: (p) => `m.title ILIKE ${p}`,
    released_after: (p) => `m.release_date >= ${p}`,
    released_before: (p) => `m.release_date <= ${p}`,
  },
  total: totalSql,
} satisfies ListSpec<SortField, Filter>;

/** The movie with its cast (each actor with the character they play), by id, in one query. */
const FIND_WITH_ACTORS = `
  SELECT ${COLUMNS},
         COALESCE((SELECT json_agg(a ORDER BY a.id)
                   FROM (SELECT a.id, a.name, a.age, a.gender, ma.character
                         FROM movie_actors ma JOIN actors a ON a.id = ma.actor_id
                         WHERE ma.movie_id = m.id) a), '[]') AS actors
  FROM movies m WHERE m.id = $1`;

const INSERT = 'INSERT INTO movies (title, release_date) VALUES ($1, $2) RETURNING id, title, release_date';
// Before the row goes: its cast entries, for the history (the cascade would remove them unseen). The row
// is locked first, so no cast entry can be added between this statement and the delete.
const UNCAST_ALL = 'DELETE FROM movie_actors WHERE movie_id = $1 RETURNING movie_id, actor_id, character';
const LOCK = 'SELECT 1 FROM movies WHERE id = $1 FOR UPDATE';

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

export type MovieWithActors = Movie & { actors: (Actor & { character: string | null })[] };
export type MovieUpdate = { before: Movie; after: Movie };
export type MovieDeletion = { deleted: Movie; countBefore: number; countAfter: number; uncast: CastEntry[] };

/**
 * The movies table's SQL. Each function runs on the `Queryable` it is given: the pool for one
 * statement, or a transaction's client when several must see and change the same rows.
 */
export function moviesRepository(searchCacheOptions: ListCacheOptions) {
  const lists = searchCache<Movie, SortField, Filter>(LIST, searchCacheOptions);
  return {
    list: lists.list,

    async findWithActors(db: Queryable, id: number): Promise<MovieWithActors | null> {
      const [row] = await db.query<MovieWithActors>(FIND_WITH_ACTORS, [id]);
      return row ?? null;
    },

    /** Locks the row until the transaction ends; false when there is none. */
    async lock(tx: Queryable, id: number): Promise<boolean> {
      return (await tx.query(LOCK, [id])).length > 0;
    },

    async create(db: Queryable, input: MovieCreate): Promise<Movie> {
      const [row] = await db.query<Movie>(INSERT, [input.title, input.release_date]);
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return row;
    },

    async update(db: Queryable, id: number, patch: MoviePatch): Promise<MovieUpdate | null> {
      const [row] = await db.query<Movie & { before: Movie }>(UPDATE, [id, patch.title ?? null, patch.release_date ?? null]);
      if (!row) return null;
      const { before, ...after } = row;
      return { before, after };
    },

    /** Locks the row, removes its cast entries, then the row; on a transaction's `tx`, so all three are one change. */
    async remove(tx: Queryable, id: number): Promise<MovieDeletion | null> {
      if ((await tx.query(LOCK, [id])).length === 0) return null;
      const uncast = await tx.query<CastEntry>(UNCAST_ALL, [id]);
      const [row] = await tx.query<Movie & { count_before: number }>(DELETE, [id]);
      if (!row) throw new Error('the locked row was not deleted');
      const { count_before: countBefore, ...deleted } = row;
      const byId = uncast.sort((a, b) => a.movie_id - b.movie_id || a.actor_id - b.actor_id);
      return { deleted, countBefore, countAfter: countBefore - 1, uncast: byId };
    },
  };
}
export type MoviesRepository = ReturnType<typeof moviesRepository>;
