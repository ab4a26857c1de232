import type { Queryable } from '../db/db';
import type { CastEntry } from '../history/changes';
import { searchCache, type ListCacheOptions } from '../db/list-cache';
import type { ListSpec, TotalSource } from '../db/list-sql';
import type { Movie } from '../movies/movies.schemas';
import type { Actor, ActorCreate, ActorListQuery, ActorPatch } from './actors.schemas';

const COLUMNS = 'a.id, a.name, a.age, a.gender';

/**
 * `all_actors` is computed here and nowhere else, so that the unfiltered count (`filtered` false) can
 * be served from a kept counter instead of counting the table.
 */
const totalSql = ({ from, filtered }: TotalSource) =>
  filtered ? `(SELECT count(*) FROM ${from})::int` : `(SELECT sum(n) FROM row_counts WHERE table_name = 'actors')::int`;

type SortField = ActorListQuery['sort']['field'];
type Filter = 'gender' | 'min_age' | 'max_age';

const LIST = {
  table: 'actors',
  alias: 'a',
  columns: COLUMNS,
  sortColumns: { id: 'id', name: 'name', age: 'age' },
  filters: {
    q: (p) => `a.name ILIKE ${p}`,
    gender: (p) => `lower(a.gender) = lower(${p})`,
    min_age: (p) => `a.age >= ${p}`,
    max_age: (p) => `a.age <= ${p}`,
  },
  total: totalSql,
} satisfies ListSpec<SortField, Filter>;

/** The actor with the movies they are cast in (and the character they play in each), by id, in one query. */
const FIND_WITH_MOVIES = `
  SELECT ${COLUMNS},
         COALESCE((SELECT json_agg(m ORDER BY m.id)
                   FROM (SELECT m.id, m.title, m.release_date, ma.character
                         FROM movie_actors ma JOIN movies m ON m.id = ma.movie_id
                         WHERE ma.actor_id = a.id) m), '[]') AS movies
  FROM actors a WHERE a.id = $1`;

const INSERT = 'INSERT INTO actors (name, age, gender) VALUES ($1, $2, $3) RETURNING id, name, age, gender';
// Before the row goes: its cast entries, for the history (the cascade would remove them unseen). The row
// is locked first, so no cast entry can be added between this statement and the delete.
const UNCAST_ALL = 'DELETE FROM movie_actors WHERE actor_id = $1 RETURNING movie_id, actor_id, character';
const LOCK = 'SELECT 1 FROM actors WHERE id = $1 FOR UPDATE';

// The CTE locks the row, so `before` is the version this UPDATE replaces, even under concurrent PATCHes.
const UPDATE = `
  WITH before AS (SELECT id, name, age, gender FROM actors WHERE id = $1 FOR UPDATE)
  UPDATE actors a
     SET name = COALESCE($2::text, a.name), age = COALESCE($3::int, a.age), gender = COALESCE($4::text, a.gender)
    FROM before b
   WHERE a.id = b.id
  RETURNING a.id, a.name, a.age, a.gender, row_to_json(b) AS before`;

// The counter (migration 003) is read in the DELETE's own snapshot: the number of actors just before this delete.
const DELETE = `
  WITH deleted AS (DELETE FROM actors WHERE id = $1 RETURNING id, name, age, gender)
  SELECT d.id, d.name, d.age, d.gender, (SELECT sum(n) FROM row_counts WHERE table_name = 'actors')::int AS count_before FROM deleted d`;

export type ActorWithMovies = Actor & { movies: (Movie & { character: string | null })[] };
export type ActorUpdate = { before: Actor; after: Actor };
export type ActorDeletion = { deleted: Actor; countBefore: number; countAfter: number; uncast: CastEntry[] };

/**
 * The actors table's SQL. Each function runs on the `Queryable` it is given: the pool for one
 * statement, or a transaction's client when several must see and change the same rows.
 */
export function actorsRepository(searchCacheOptions: ListCacheOptions) {
  const lists = searchCache<Actor, SortField, Filter>(LIST, searchCacheOptions);
  return {
    list: lists.list,

    async findWithMovies(db: Queryable, id: number): Promise<ActorWithMovies | null> {
      const [row] = await db.query<ActorWithMovies>(FIND_WITH_MOVIES, [id]);
      return row ?? null;
    },

    /** Locks the row until the transaction ends; false when there is none. */
    async lock(tx: Queryable, id: number): Promise<boolean> {
      return (await tx.query(LOCK, [id])).length > 0;
    },

    async create(db: Queryable, input: ActorCreate): Promise<Actor> {
      const [row] = await db.query<Actor>(INSERT, [input.name, input.age, input.gender]);
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return row;
    },

    async update(db: Queryable, id: number, patch: ActorPatch): Promise<ActorUpdate | null> {
      const [row] = await db.query<Actor & { before: Actor }>(UPDATE, [id, patch.name ?? null, patch.age ?? null, patch.gender ?? null]);
      if (!row) return null;
      const { before, ...after } = row;
      return { before, after };
    },

    /** Locks the row, removes its cast entries, then the row; on a transaction's `tx`, so all three are one change. */
    async remove(tx: Queryable, id: number): Promise<ActorDeletion | null> {
      if ((await tx.query(LOCK, [id])).length === 0) return null;
      const uncast = await tx.query<CastEntry>(UNCAST_ALL, [id]);
      const [row] = await tx.query<Actor & { count_before: number }>(DELETE, [id]);
      if (!row) throw new Error('the locked row was not deleted');
      const { count_before: countBefore, ...deleted } = row;
      const byId = uncast.sort((a, b) => a.movie_id - b.movie_id || a.actor_id - b.actor_id);
      return { deleted, countBefore, countAfter: countBefore - 1, uncast: byId };
    },
  };
}
export type ActorsRepository = ReturnType<typeof actorsRepository>;
