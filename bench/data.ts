import pg from 'pg';
import { createPgDb } from '../src/db/db';
import { migrate } from '../src/db/migrate';

// Names and titles made of random syllables, so that a `q` search matches a realistic share of rows:
// a two-syllable fragment such as 'lumten' is in about 0.75 % of the names.
const SYLLABLES = `ARRAY['ka','lo','mi','ra','ten','vor','sil','dan','bel','mor','zu','pen','tar','gri','hol','wen','fa','nik','sto','lum']`;
const syllable = `(${SYLLABLES})[1 + floor(random() * 20)::int]`;
const word = (n: number) => `initcap(${Array.from({ length: n }, () => syllable).join(' || ')})`;

const ADD_ACTORS = `
  INSERT INTO actors (name, age, gender)
  SELECT ${word(2)} || ' ' || ${word(3)}, 18 + floor(random() * 70)::int,
         (ARRAY['female', 'male', 'non-binary'])[1 + floor(random() * 3)::int]
    FROM generate_series(1, $1::int)`;

const ADD_MOVIES = `
  INSERT INTO movies (title, release_date)
  SELECT 'The ' || ${word(2)} || ' ' || ${word(2)}, DATE '1930-01-01' + floor(random() * 34000)::int
    FROM generate_series(1, $1::int)`;

// Cast entry i puts actor f(movie, k) in movie 1 + i % M, k = i / M: the pairs are distinct, every movie
// gets casts / movies actors, spread over all the actors (104 729 is prime).
const ADD_CASTS = `
  INSERT INTO movie_actors (movie_id, actor_id)
  SELECT 1 + i % $2::int, 1 + ((1 + i % $2::int)::bigint * 7919 + (i / $2::int)::bigint * 104729) % $3::int
    FROM generate_series(0, $1::int - 1) AS i
  ON CONFLICT DO NOTHING`;

export type DataSizes = { actors: number; movies: number; casts: number };

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function migrateBenchDatabase(url: string): Promise<void> {
  const db = createPgDb({ url, max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

/** Loads the data set in SQL (generate_series), with ids 1..N in every table. Returns the seconds it took. */
export async function loadData(url: string, sizes: DataSizes): Promise<number> {
  const started = Date.now();
  await withClient(url, async (client) => {
    await client.query('SELECT setseed(0.42)');
    await client.query(ADD_ACTORS, [sizes.actors]);
    await client.query(ADD_MOVIES, [sizes.movies]);
    if (sizes.casts > 0 && sizes.movies > 0 && sizes.actors > 0) await client.query(ADD_CASTS, [sizes.casts, sizes.movies, sizes.actors]);
    await client.query('VACUUM ANALYZE');
  });
  return (Date.now() - started) / 1000;
}

/** Adds actors or movies until there are `total`; returns the seconds it took. */
export async function grow(url: string, table: 'actors' | 'movies', total: number): Promise<number> {
  const started = Date.now();
  await withClient(url, async (client) => {
    const [row] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows;
    if (total > row!.n) await client.query(table === 'actors' ? ADD_ACTORS : ADD_MOVIES, [total - row!.n]);
    await client.query(`VACUUM ANALYZE ${table}`);
  });
  return (Date.now() - started) / 1000;
}

/** Rows the search scenario's `q` matches, to say in the report what was measured. */
export async function countMatches(url: string, q: string): Promise<number> {
  return withClient(url, async (client) => {
    const [row] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM actors WHERE name ILIKE '%' || $1 || '%'`, [q])).rows;
    return row!.n;
  });
}

export async function maxActorId(url: string): Promise<number> {
  return withClient(
    url,
    async (client) => (await client.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM actors')).rows[0]!.n,
  );
}
