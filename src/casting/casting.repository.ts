import type { Actor } from '../actors/actors.schemas';
import type { Queryable } from '../db/db';
import { offsetOf, type Page } from '../db/paging';
import type { Movie } from '../movies/movies.schemas';

/** Whether the movie ($1) and the actor ($2) exist, so that a 404 can name the missing one. */
const EXISTENCE = 'EXISTS (SELECT 1 FROM movies WHERE id = $1) AS movie, EXISTS (SELECT 1 FROM actors WHERE id = $2) AS actor';

// ON CONFLICT DO NOTHING: of two directors casting the same actor at once, one inserts and the other
// waits for it, then inserts nothing (changed = false): one row, no unique violation.
const CAST = `
  WITH inserted AS (
    INSERT INTO movie_actors (movie_id, actor_id)
    SELECT m.id, a.id FROM movies m, actors a WHERE m.id = $1 AND a.id = $2
    ON CONFLICT DO NOTHING
    RETURNING 1)
  SELECT ${EXISTENCE}, EXISTS (SELECT 1 FROM inserted) AS changed`;

const UNCAST = `
  WITH deleted AS (DELETE FROM movie_actors WHERE movie_id = $1 AND actor_id = $2 RETURNING 1)
  SELECT ${EXISTENCE}, EXISTS (SELECT 1 FROM deleted) AS changed`;

/** One side of the cast, paged in id order, with its total and whether its owner exists: one snapshot. */
const castList = (owner: string, ownerKey: string, other: string, otherKey: string, columns: string) => `
  SELECT EXISTS (SELECT 1 FROM ${owner} WHERE id = $1) AS found,
         (SELECT count(*) FROM movie_actors WHERE ${ownerKey} = $1)::int AS total,
         COALESCE((SELECT json_agg(p ORDER BY p.id)
                   FROM (SELECT ${columns}
                         FROM movie_actors ma JOIN ${other} o ON o.id = ma.${otherKey}
                         WHERE ma.${ownerKey} = $1
                         ORDER BY ma.${otherKey} LIMIT $2 OFFSET $3) p), '[]') AS items`;

const ACTORS_OF_MOVIE = castList('movies', 'movie_id', 'actors', 'actor_id', 'o.id, o.name, o.age, o.gender');
const MOVIES_OF_ACTOR = castList('actors', 'actor_id', 'movies', 'movie_id', 'o.id, o.title, o.release_date');

const FOREIGN_KEY_VIOLATION = '23503';

export type CastChange = { movie: boolean; actor: boolean; changed: boolean };
export type CastList<T> = { found: boolean; items: T[]; total: number };

/** The cast's SQL; each function runs on the `Queryable` it is given (the pool, or a transaction's client). */
export function castingRepository() {
  const change = async (db: Queryable, sql: string, movieId: number, actorId: number): Promise<CastChange> => {
    const [row] = await db.query<CastChange>(sql, [movieId, actorId]);
    if (!row) throw new Error('the cast statement returned no row');
    return row;
  };
  const list = async <T>(db: Queryable, sql: string, id: number, page: Page): Promise<CastList<T>> => {
    const [row] = await db.query<CastList<T>>(sql, [id, page.limit, offsetOf(page)]);
    if (!row) throw new Error('the cast list statement returned no row');
    return row;
  };

  return {
    async cast(db: Queryable, movieId: number, actorId: number): Promise<CastChange> {
      try {
        return await change(db, CAST, movieId, actorId);
      } catch (error) {
        // The movie or actor was deleted between this statement's read and its foreign-key check.
        // Run again: a new statement sees the delete and reports what is missing.
        if ((error as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw error;
        return change(db, CAST, movieId, actorId);
      }
    },
    uncast: (db: Queryable, movieId: number, actorId: number) => change(db, UNCAST, movieId, actorId),
    actorsOf: (db: Queryable, movieId: number, page: Page) => list<Actor>(db, ACTORS_OF_MOVIE, movieId, page),
    moviesOf: (db: Queryable, actorId: number, page: Page) => list<Movie>(db, MOVIES_OF_ACTOR, actorId, page),
  };
}
export type CastingRepository = ReturnType<typeof castingRepository>;
