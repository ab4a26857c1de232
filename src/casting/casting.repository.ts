import type { Actor } from '../actors/actors.schemas';
import type { Queryable, Row } from '../db/db';
import { offsetOf, type Page } from '../db/paging';
import type { Movie } from '../movies/movies.schemas';

/** Whether the movie ($1) and the actor ($2) exist, so that a 404 can name the missing one. */
const EXISTENCE = 'EXISTS (SELECT 1 FROM movies WHERE id = $1) AS movie, EXISTS (SELECT 1 FROM actors WHERE id = $2) AS actor';

// KEY SHARE on both rows until the transaction ends: a delete of either waits for it (or, when the
// delete came first, the row is gone and the answer is 404), so the insert below never fails its
// foreign-key check.
const LOCK_BOTH = `
  SELECT EXISTS (SELECT 1 FROM movies WHERE id = $1 FOR KEY SHARE) AS movie,
         EXISTS (SELECT 1 FROM actors WHERE id = $2 FOR KEY SHARE) AS actor`;

// ON CONFLICT DO NOTHING: of two directors casting the same actor at once, one inserts and the other
// waits for it, then inserts nothing (no row): one entry, no unique violation.
const ADD = `
  INSERT INTO movie_actors (movie_id, actor_id, character) VALUES ($1, $2, $3::text)
  ON CONFLICT DO NOTHING RETURNING character`;

// A statement of its own, so it sees an entry another transaction has just committed.
const CHARACTER = 'SELECT character FROM movie_actors WHERE movie_id = $1 AND actor_id = $2';

// The CTE locks the entry, so `before` is the character this UPDATE replaces, even under concurrent PUTs;
// an entry that already has the character is not written. No row: the entry is gone.
const RENAME = `
  WITH old AS (SELECT character FROM movie_actors WHERE movie_id = $1 AND actor_id = $2 FOR UPDATE),
       renamed AS (UPDATE movie_actors SET character = $3::text
                    WHERE movie_id = $1 AND actor_id = $2 AND (SELECT character FROM old) IS DISTINCT FROM $3::text
                    RETURNING character)
  SELECT old.character AS before, $3::text AS after, EXISTS (SELECT 1 FROM renamed) AS renamed FROM old`;

const UNCAST = `
  WITH deleted AS (DELETE FROM movie_actors WHERE movie_id = $1 AND actor_id = $2 RETURNING character)
  SELECT ${EXISTENCE}, EXISTS (SELECT 1 FROM deleted) AS removed, (SELECT character FROM deleted) AS character`;

/** One side of the cast, paged in id order, with its total and whether its owner exists: one snapshot. */
const castList = (owner: string, ownerKey: string, other: string, otherKey: string, columns: string) => `
  SELECT EXISTS (SELECT 1 FROM ${owner} WHERE id = $1) AS found,
         (SELECT count(*) FROM movie_actors WHERE ${ownerKey} = $1)::int AS total,
         COALESCE((SELECT json_agg(p ORDER BY p.id)
                   FROM (SELECT ${columns}
                         FROM movie_actors ma JOIN ${other} o ON o.id = ma.${otherKey}
                         WHERE ma.${ownerKey} = $1
                         ORDER BY ma.${otherKey} LIMIT $2 OFFSET $3) p), '[]') AS items`;

const ACTORS_OF_MOVIE = castList('movies', 'movie_id', 'actors', 'actor_id', 'o.id, o.name, o.age, o.gender, ma.character');
const MOVIES_OF_ACTOR = castList('actors', 'actor_id', 'movies', 'movie_id', 'o.id, o.title, o.release_date, ma.character');

export type Both = { movie: boolean; actor: boolean };
/** The character of a cast entry (null: not named). */
export type InCast = { character: string | null };
export type Uncast = Both & InCast & { removed: boolean };
/** A cast entry's character before and after a PUT that named one. */
export type Rename = { before: string | null; after: string | null };
export type CastList<T> = { found: boolean; items: T[]; total: number };

/** The cast's SQL; each function runs on the `Queryable` it is given (the pool, or a transaction's client). */
export function castingRepository() {
  const one = async <T>(db: Queryable, sql: string, params: unknown[]): Promise<T | null> =>
    (await db.query<T & Row>(sql, params))[0] ?? null;
  const list = async <T>(db: Queryable, sql: string, id: number, page: Page): Promise<CastList<T>> => {
    const [row] = await db.query<CastList<T>>(sql, [id, page.limit, offsetOf(page)]);
    if (!row) throw new Error('the cast list statement returned no row');
    return row;
  };

  return {
    /** Whether both exist, keeping them until the transaction `tx` ends. */
    lockBoth: async (tx: Queryable, movieId: number, actorId: number): Promise<Both> =>
      (await one<Both>(tx, LOCK_BOTH, [movieId, actorId]))!,
    /** Adds the entry; null when it is already there (and left as it is). */
    add: (tx: Queryable, movieId: number, actorId: number, character: string | null) => one<InCast>(tx, ADD, [movieId, actorId, character]),
    characterOf: (db: Queryable, movieId: number, actorId: number) => one<InCast>(db, CHARACTER, [movieId, actorId]),
    /** Sets the character of an existing entry (locked until the transaction ends); null when there is no entry. */
    rename: (tx: Queryable, movieId: number, actorId: number, character: string | null) =>
      one<Rename>(tx, RENAME, [movieId, actorId, character]),
    uncast: async (db: Queryable, movieId: number, actorId: number): Promise<Uncast> =>
      (await one<Uncast>(db, UNCAST, [movieId, actorId]))!,
    actorsOf: (db: Queryable, movieId: number, page: Page) => list<Actor & InCast>(db, ACTORS_OF_MOVIE, movieId, page),
    moviesOf: (db: Queryable, actorId: number, page: Page) => list<Movie & InCast>(db, MOVIES_OF_ACTOR, actorId, page),
  };
}
export type CastingRepository = ReturnType<typeof castingRepository>;
