/**
 * EXPLAIN ANALYZE of the statements the API runs, at 100 000 actors and movies and 1 000 000 cast
 * entries, on a scratch database that is dropped afterwards:
 *   npx tsx bench/explain-lists.ts [postgres://admin-url]   (default: the server at 127.0.0.1:5432)
 *   npx tsx bench/explain-lists.ts --embedded                (an in-memory PGlite)
 * The statements are captured from the real repositories, so what is measured is what runs.
 * Prints one line per case: the list total, the median time of 5 runs from the client, the execution
 * time EXPLAIN ANALYZE reports (its per-row timing inflates it on big scans), and the plan's scans
 * and sorts. `--plans` prints the whole plans too. Results: docs/indexes.md.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { actorsRepository } from '../src/actors/actors.repository';
import { ActorListQuery } from '../src/actors/actors.schemas';
import { castingRepository } from '../src/casting/casting.repository';
import { createPgDb, type Db } from '../src/db/db';
import { moviesRepository } from '../src/movies/movies.repository';
import { MovieListQuery } from '../src/movies/movies.schemas';
import { createTestDatabase } from '../tests/kit/test-database';

type Statement = { sql: string; params: readonly unknown[] };
type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** A Db that records the statement a repository method would run, and runs nothing. */
function capture(call: (db: Db) => Promise<unknown>): Promise<Statement> {
  let captured: Statement | undefined;
  const db: Db = {
    query: async (sql, params = []) => {
      captured = { sql, params };
      throw new Error('captured');
    },
    transaction: (fn) => fn(db),
    close: async () => undefined,
  };
  return call(db).then(
    () => Promise.reject(new Error('nothing captured')),
    () => captured ?? Promise.reject(new Error('nothing captured')),
  );
}

const actorList = (q: string) =>
  capture((db) => actorsRepository(UNCACHED).list(db, ActorListQuery.parse(Object.fromEntries(new URLSearchParams(q)))));
const movieList = (q: string) =>
  capture((db) => moviesRepository(UNCACHED).list(db, MovieListQuery.parse(Object.fromEntries(new URLSearchParams(q)))));
const page = { page: 1, limit: 50 };
/** The statement a search runs the first time (and every time with the cache off). */
const UNCACHED = { maxEntries: 0, maxAgeMs: 0 };

const CASES: [string, () => Promise<Statement>, 'read' | 'write'][] = [
  ['GET /actors', () => actorList(''), 'read'],
  ['GET /actors?page=500&limit=200', () => actorList('page=500&limit=200'), 'read'],
  ['GET /actors?sort=name', () => actorList('sort=name'), 'read'],
  ['GET /actors?sort=-age&page=100', () => actorList('sort=-age&page=100'), 'read'],
  ['GET /actors?q=kev', () => actorList('q=kev'), 'read'],
  ['GET /actors?q=washington', () => actorList('q=washington'), 'read'],
  ['GET /actors?q=zzq', () => actorList('q=zzq'), 'read'],
  ['GET /actors?q=ke (2 letters)', () => actorList('q=ke'), 'read'],
  ['GET /actors?q=kev&sort=name', () => actorList('q=kev&sort=name'), 'read'],
  ['GET /actors?q=zoe&sort=name', () => actorList('q=zoe&sort=name'), 'read'],
  ['GET /actors?q=e&sort=name (matches 2 in 3)', () => actorList('q=e&sort=name'), 'read'],
  ['GET /actors?q=e&sort=-name&page=300', () => actorList('q=e&sort=-name&page=300'), 'read'],
  ['GET /actors?gender=non-binary', () => actorList('gender=non-binary'), 'read'],
  ['GET /actors?gender=female&min_age=30&max_age=40&sort=name', () => actorList('gender=female&min_age=30&max_age=40&sort=name'), 'read'],
  ['GET /actors?min_age=30&max_age=31', () => actorList('min_age=30&max_age=31'), 'read'],
  ['GET /movies', () => movieList(''), 'read'],
  ['GET /movies?q=knight', () => movieList('q=knight'), 'read'],
  ['GET /movies?q=prestige 3', () => movieList('q=prestige 3'), 'read'],
  ['GET /movies?q=wild&sort=-release_date', () => movieList('q=wild&sort=-release_date'), 'read'],
  [
    'GET /movies?released_after=2000-01-01&released_before=2000-12-31',
    () => movieList('released_after=2000-01-01&released_before=2000-12-31'),
    'read',
  ],
  ['GET /movies?sort=-release_date', () => movieList('sort=-release_date'), 'read'],
  ['GET /movies?released_after=1990-01-01&sort=title', () => movieList('released_after=1990-01-01&sort=title'), 'read'],
  ['GET /movies/:id (with actors)', () => capture((db) => moviesRepository(UNCACHED).findWithActors(db, 4242)), 'read'],
  ['GET /actors/:id (with movies)', () => capture((db) => actorsRepository(UNCACHED).findWithMovies(db, 4242)), 'read'],
  ['GET /movies/:id/actors', () => capture((db) => castingRepository().actorsOf(db, 4242, page)), 'read'],
  ['GET /actors/:id/movies', () => capture((db) => castingRepository().moviesOf(db, 4242, page)), 'read'],
  ['PUT /movies/:id/actors/:actorId', () => capture((db) => castingRepository().add(db, 4242, 777, null)), 'write'],
  [
    'DELETE /movies/:id/actors/:actorId',
    () => capture((db) => castingRepository().uncast(db, 4242, 1 + ((4242 * 31 + 9973) % 100000))),
    'write',
  ],
  ['DELETE /actors/:id (cascade)', () => capture((db) => actorsRepository(UNCACHED).remove(db, 4242)), 'write'],
  ['DELETE /movies/:id (cascade)', () => capture((db) => moviesRepository(UNCACHED).remove(db, 4242)), 'write'],
];

/** Scans and sorts, outermost first: enough to see which index serves which part. */
function summarize(node: PlanNode): string[] {
  const type = String(node['Node Type']);
  const on = node['Index Name'] ?? node['Relation Name'];
  const own = /Scan|Sort|Aggregate|Nested Loop|Join/.test(type)
    ? [`${type}${on ? ` ${String(on)}` : ''}${node['Sort Method'] ? ` (${String(node['Sort Method'])})` : ''}`]
    : [];
  return [...own, ...(node.Plans ?? []).flatMap(summarize)];
}

/** Runs `fn` in a transaction that is rolled back, so a measured write leaves the data as it was. */
async function rolledBack<T>(db: Db, fn: (tx: Pick<Db, 'query'>) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db
    .transaction(async (tx) => {
      result = await fn(tx);
      throw new Error('rollback');
    })
    .catch((e: Error) => (e.message === 'rollback' ? undefined : Promise.reject(e)));
  return result as T;
}

type JsonPlan = { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] };

async function explain(db: Db, { sql, params }: Statement, kind: 'read' | 'write', format: 'json' | 'text') {
  const within = (fn: (tx: Pick<Db, 'query'>) => Promise<Record<string, unknown>[]>) => (kind === 'read' ? fn(db) : rolledBack(db, fn));
  const options = format === 'json' ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'ANALYZE, BUFFERS';
  return within((tx) => tx.query(`EXPLAIN (${options}) ${sql}`, params));
}

/** Median time of `runs` runs from the client, and the list total the statement answered (if any). */
async function measure(db: Db, { sql, params }: Statement, runs = 5): Promise<{ ms: number; total: unknown }> {
  const times: number[] = [];
  let rows: Record<string, unknown>[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    rows = await db.query(sql, params);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(runs / 2)]!, total: rows[0]?.total };
}

async function main(args: string[]): Promise<void> {
  const embedded = args.includes('--embedded');
  const adminUrl = args.find((a) => a.startsWith('postgres')) ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = await createTestDatabase(embedded ? undefined : adminUrl);
  const db = createPgDb({ url: database.url, max: 2, connectionTimeoutMillis: 60_000 });
  try {
    const started = Date.now();
    await db.query(await readFile(path.join(__dirname, 'explain-data.sql'), 'utf8'));
    await db.query('VACUUM ANALYZE actors, movies, movie_actors');
    const [version] = await db.query<{ v: string }>('SELECT version() AS v');
    console.log(`${version!.v}\nloaded 100k actors, 100k movies, 1M cast entries in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    console.log(
      '| case | total | median ms (5 runs, client) | execution ms (EXPLAIN ANALYZE) | plan: scans and sorts |\n|---|---|---|---|---|',
    );
    for (const [name, statement, kind] of CASES) {
      const captured = await statement();
      const { ms, total } = kind === 'read' ? await measure(db, captured) : { ms: NaN, total: undefined };
      const [json] = ((await explain(db, captured, kind, 'json')) as JsonPlan[])[0]!['QUERY PLAN'];
      const cells = [
        name,
        total ?? '',
        Number.isNaN(ms) ? '—' : ms.toFixed(1),
        json['Execution Time'].toFixed(1),
        summarize(json.Plan).join('; '),
      ];
      console.log(`| ${cells.join(' | ')} |`);
      if (args.includes('--plans')) {
        const text = (await explain(db, captured, kind, 'text')).map((r) => r['QUERY PLAN']).join('\n');
        console.log(`\n${name}\n${text}\n`);
      }
    }
  } finally {
    await db.close();
    await database.drop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
