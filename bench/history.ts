import pg from 'pg';
import { measure, type Bench } from './measure';
import { serve } from './processes';
import type { Row } from './report';
import type { Scenario } from './scenarios';

const TSX = require.resolve('tsx/cjs');

/** A PATCH that changes its row every time (`{seq}`: a new name per request), so each one records a change. */
export const patchScenario = (actors: number): Scenario => ({
  name: 'PATCH /actors/:id (a new name each time)',
  method: 'PATCH',
  path: '/actors/{id}',
  ids: { kind: 'random', from: 1, to: actors },
  body: JSON.stringify({ name: 'Bench {seq}' }),
  auth: true,
  expect: 200,
  read: false,
});

export const historyScenarios = (actors: number, movies: number, hotActor: number): Scenario[] => [
  {
    name: 'GET /actors/:id/history',
    method: 'GET',
    path: '/actors/{id}/history?limit=20',
    ids: { kind: 'random', from: 1, to: actors },
    auth: true,
    expect: 200,
    read: true,
  },
  {
    name: 'GET /movies/:id/history',
    method: 'GET',
    path: '/movies/{id}/history?limit=20',
    ids: { kind: 'random', from: 1, to: movies },
    auth: true,
    expect: 200,
    read: true,
  },
  {
    name: `GET /actors/:id/history (${HOT_LABEL})`,
    method: 'GET',
    path: `/actors/${hotActor}/history?limit=20`,
    auth: true,
    expect: 200,
    read: true,
  },
];

export type WriteRows = { withHistory: Row[]; withoutHistory: Row[] };

/**
 * The same PATCH on the API with its history (what it does now) and without (BENCH_HISTORY=off:
 * exactly the statements it sent before history existed), alternating `rounds` times so that drift
 * in the machine or the data falls on both. Both run bench/history-variant.ts.
 */
export async function measureWrites(
  bench: Bench,
  env: Record<string, string>,
  actors: number,
  rows: string,
  rounds: number,
): Promise<WriteRows> {
  const result: WriteRows = { withHistory: [], withoutHistory: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const history of ['on', 'off'] as const) {
      const name = history === 'on' ? 'API, with history' : 'API, without history (statements before it)';
      const api = await serve(name, ['--require', TSX, 'bench/history-variant.ts'], { ...env, BENCH_HISTORY: history }, '/ready');
      try {
        const row = await measure(bench, api, patchScenario(actors), rows);
        (history === 'on' ? result.withHistory : result.withoutHistory).push(row);
      } finally {
        await api.stop();
      }
    }
  }
  return result;
}

/** Changes of the hot actor: how the count and the page cost grow with one resource's history. */
export const HOT_CHANGES = 10_000;
/** How the report names the hot actor's row; the p50 target is for the others (a history of ordinary length). */
export const HOT_LABEL = `one actor with ${HOT_CHANGES.toLocaleString('en-US')} changes`;

const actorJson = (id: string, age: string) => `jsonb_build_object('id', ${id}, 'name', 'Kalo Mitenra', 'age', ${age}, 'gender', 'female')`;
const movieJson = (id: string, day: string) =>
  `jsonb_build_object('id', ${id}, 'title', 'The Kalo Mira', 'release_date', '1999-01-0${day}')`;

/**
 * `total` changes in SQL, one second apart: the first HOT_CHANGES update actor `$4`; of the others
 * 50 % update an actor, 40 % a movie, and 10 % add a cast entry (listed in both histories), spread
 * over every actor ($2) and movie ($3).
 */
const LOAD = `
  WITH s AS (
    SELECT i, CASE WHEN i < ${HOT_CHANGES} THEN 'actor' WHEN i % 10 < 5 THEN 'actor' WHEN i % 10 < 9 THEN 'movie' ELSE 'cast' END AS kind,
           CASE WHEN i < ${HOT_CHANGES} THEN $4::int ELSE 1 + i % $2::int END AS a, 1 + i % $3::int AS m
      FROM generate_series(0, $1::int - 1) AS i)
  INSERT INTO changes (changed_at, changed_by, action, actor_id, movie_id, before, after)
  SELECT now() - make_interval(secs => $1::int - i), 'auth0|bench-loader',
         CASE kind WHEN 'cast' THEN 'cast_added' ELSE 'updated' END,
         CASE WHEN kind = 'movie' THEN NULL ELSE a END,
         CASE WHEN kind = 'actor' THEN NULL ELSE m END,
         CASE kind WHEN 'cast' THEN NULL WHEN 'movie' THEN ${movieJson('m', '1')} ELSE ${actorJson('a', '18 + i % 70')} END,
         CASE kind WHEN 'cast' THEN jsonb_build_object('movie_id', m, 'actor_id', a, 'character', NULL)
                   WHEN 'movie' THEN ${movieJson('m', '2')} ELSE ${actorJson('a', '19 + i % 70')} END
    FROM s`;

const SIZES = `
  SELECT count(*)::bigint AS n, pg_relation_size('changes') AS heap, pg_total_relation_size('changes') AS total,
         pg_relation_size('changes_pkey') AS pkey, pg_relation_size('changes_actor_idx') AS actor_idx,
         pg_relation_size('changes_movie_idx') AS movie_idx
    FROM changes`;

export type HistoryLoad = { seconds: number; sizes: string };

export async function loadHistory(url: string, total: number, actors: number, movies: number, hotActor: number): Promise<HistoryLoad> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    await client.query(LOAD, [total, actors, movies, hotActor]);
    await client.query('VACUUM ANALYZE changes');
    const seconds = (Date.now() - started) / 1000;
    const s = (await client.query<Record<string, string>>(SIZES)).rows[0]!;
    const per = (bytes: string | undefined) => (Number(bytes) / Number(s.n)).toFixed(0);
    const sizes =
      `${Number(s.n).toLocaleString('en-US')} changes, ${per(s.total)} bytes each on disk (table ${per(s.heap)}, ` +
      `primary key ${per(s.pkey)}, actor index ${per(s.actor_idx)}, movie index ${per(s.movie_idx)}; every row counted in each index that holds it)`;
    return { seconds, sizes };
  } finally {
    await client.end();
  }
}
