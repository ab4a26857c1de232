import pg from 'pg';
import { measure, type Bench } from './measure';
import { serve, type Served } from './processes';
import type { Row, Target } from './report';
import { patchScenario } from './history';
import { deleteActorScenario, postActorScenario, type Scenario } from './scenarios';

/**
 * Issue 13's phase: searches as people type them and deep pages, at a million actors and a million
 * movies, one request at a time with the search cache off, on the API as it is ("counted") and on the
 * same build with COUNTED_LISTS=off (every list counts its matches and skips from the start, as
 * before migration 006) — the before and after of one run. Then the writes with migration 006's
 * triggers on and off, alternating.
 */

/** A fragment no generated name has: the bench adds this many actors with it, for the rare short searches. */
const RARE_NAMES = 25;

/** Adds RARE_NAMES actors named 'Qxana Bench N': `q=qx` then matches 25 of a million (the worst case of a short `q`). */
export async function addRareNames(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO actors (name, age, gender) SELECT 'Qxana Bench ' || i, 30, 'female' FROM generate_series(1, $1::int) i`,
      [RARE_NAMES],
    );
  } finally {
    await client.end();
  }
}

/** Folds every pending search count (what the API does every second), then vacuums the pending table. */
export async function foldAll(url: string): Promise<number> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    while ((await client.query<{ moved: number }>('SELECT search_counts_fold(100000) AS moved')).rows[0]!.moved > 0);
    await client.query('VACUUM search_pending');
  } finally {
    await client.end();
  }
  return (Date.now() - started) / 1000;
}

export type SearchCase = { kind: 'q' | 'typed' | 'page 5000' | 'last page' | 'middle page'; request: string; path: string };

/** The typed sequence, as a person sends it: each letter after the last answer, each search for the first time. */
export const TYPED = ['a', 'al', 'ali', 'alic', 'alice'];

/** Searches of every kind the goal names: 1–200 characters, common and rare, accents, `%` and `_` taken literally. */
const ACTOR_QS = [
  'k',
  'e',
  'ka',
  'Lu',
  'xq',
  'qx',
  'Qxa',
  'lum',
  'ten',
  'lumten',
  'Kalo Mi',
  'lumtenka',
  'zé',
  'é',
  '%',
  '_',
  'a%b',
  'ka'.repeat(100),
];
const MOVIE_QS = ['t', 'the', 'he ', 'a', 'lumten', 'the ka', 'Vorsil'];

const pathOf = (base: string, params: Record<string, string | number>) =>
  `${base}?${Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')}`;

/** The q rows and, per sort, page 5 000 of `limit=20`; the last and middle pages are found from the `Link` header at run time. */
export function searchCases(): SearchCase[] {
  const cases: SearchCase[] = [];
  for (const q of TYPED) cases.push({ kind: 'typed', request: `GET /actors?q=${q}`, path: pathOf('/actors', { q, limit: 20 }) });
  for (const q of ACTOR_QS)
    cases.push({
      kind: 'q',
      request: `GET /actors?q=${q.length > 20 ? `${q.slice(0, 8)}… (${q.length} chars)` : q}`,
      path: pathOf('/actors', { q, limit: 20 }),
    });
  for (const q of MOVIE_QS) cases.push({ kind: 'q', request: `GET /movies?q=${q}`, path: pathOf('/movies', { q, limit: 20 }) });
  const sorts: [string, string[]][] = [
    ['/actors', ['id', '-id', 'name', '-name', 'age', '-age']],
    ['/movies', ['id', '-id', 'title', '-title', 'release_date', '-release_date']],
  ];
  for (const [base, list] of sorts)
    for (const sort of list)
      cases.push({ kind: 'page 5000', request: `GET ${base}?sort=${sort}&page=5000`, path: pathOf(base, { sort, limit: 20, page: 5000 }) });
  return cases;
}

type Timed = { ms: number[]; status: number; total?: number; link?: string };

/** Sends `path` one request at a time: `samples` of them, or fewer when `budgetMs` runs out (3 at least). */
async function timeOneAtATime(served: Served, token: string, path: string, samples: number, budgetMs: number): Promise<Timed> {
  const headers = { authorization: `Bearer ${token}` };
  const ms: number[] = [];
  let status = 0;
  let total: number | undefined;
  let link: string | undefined;
  const started = performance.now();
  for (let i = -1; i < samples; i += 1) {
    const sent = performance.now();
    const res = await fetch(served.url + path, { headers });
    const body = (await res.json()) as Record<string, unknown>;
    const took = performance.now() - sent;
    status = res.status;
    total = (body.all_actors ?? body.all_movies) as number | undefined;
    link = res.headers.get('link') ?? undefined;
    if (status !== 200) break;
    if (i >= 0) ms.push(took); // the first one warms the connection
    if (ms.length >= 3 && performance.now() - started > budgetMs) break;
  }
  return { ms, status, total, link };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function rowOf(server: Served, rows: string, c: SearchCase, t: Timed): Row {
  const row: Row = { rows, server: server.name, request: c.request, connections: 1 };
  if (t.status !== 200 || t.ms.length === 0) {
    row.note = `skipped: answered ${t.status}`;
    return row;
  }
  const sorted = [...t.ms].sort((a, b) => a - b);
  const sum = t.ms.reduce((a, b) => a + b, 0);
  row.result = { rps: (1000 * t.ms.length) / sum, p50: percentile(sorted, 50), p99: percentile(sorted, 99), requests: t.ms.length, bad: 0 };
  row.note = `${c.kind}; ${t.ms.length} requests one after another; total ${t.total?.toLocaleString('en-US') ?? '?'}`;
  return row;
}

const lastPageOf = (link?: string): number | undefined => {
  const match = link?.match(/[?&]page=(\d+)[^>]*>;\s*rel="last"/);
  return match ? Number(match[1]) : undefined;
};

export type SearchRows = { counted: Row[]; plain: Row[] };

/** The typed sequence `rounds` times, each letter sent when the answer to the one before it came. */
async function timeTyped(served: Served, token: string, cases: SearchCase[], rounds: number, budgetMs: number): Promise<Timed[]> {
  const timed: Timed[] = cases.map(() => ({ ms: [], status: 200 }));
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, c] of cases.entries()) {
      const one = await timeOneAtATime(served, token, c.path, 1, 0);
      timed[i]!.ms.push(...one.ms);
      timed[i]!.status = one.status;
      timed[i]!.total = one.total;
    }
    if (round >= 2 && performance.now() - started > budgetMs * cases.length) break;
  }
  return timed;
}

/**
 * Every case on `served`: the typed sequence first (`samples` rounds of a, al, ali, alic, alice), then
 * each other case `samples` times in a row; the last and middle page of each sort are read off the
 * `Link` header of its page 1.
 */
export async function measureSearches(bench: Bench, served: Served, rows: string, samples: number, budgetMs: number): Promise<Row[]> {
  const out: Row[] = [];
  const cases = searchCases();
  const deep: SearchCase[] = [];
  for (const c of cases.filter((x) => x.kind === 'page 5000')) {
    const first = await timeOneAtATime(served, bench.token, c.path.replace('page=5000', 'page=1'), 0, 0);
    const last = lastPageOf(first.link);
    if (last === undefined) continue;
    const base = c.request.replace('&page=5000', '');
    deep.push({ kind: 'last page', request: `${base}&page=${last} (last)`, path: c.path.replace('page=5000', `page=${last}`) });
    const middle = Math.ceil(last / 2);
    deep.push({ kind: 'middle page', request: `${base}&page=${middle} (middle)`, path: c.path.replace('page=5000', `page=${middle}`) });
  }
  const typed = cases.filter((c) => c.kind === 'typed');
  const typedTimes = await timeTyped(served, bench.token, typed, samples, budgetMs);
  for (const [i, c] of typed.entries()) {
    const row = rowOf(served, rows, c, typedTimes[i]!);
    out.push(row);
    bench.rows.push(row);
  }
  for (const c of [...cases.filter((x) => x.kind !== 'typed'), ...deep]) {
    const row = rowOf(served, rows, c, await timeOneAtATime(served, bench.token, c.path, samples, budgetMs));
    out.push(row);
    bench.rows.push(row);
    bench.say(`${served.name} ${c.request}: p50 ${row.result?.p50.toFixed(2) ?? '–'} ms, p99 ${row.result?.p99.toFixed(2) ?? '–'} ms`);
  }
  return out;
}

const SEARCH_TRIGGERS = ['actors_search_insert', 'actors_search_update', 'actors_search_delete'];

async function setSearchTriggers(url: string, on: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const t of SEARCH_TRIGGERS) await client.query(`ALTER TABLE actors ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${t}`);
  } finally {
    await client.end();
  }
}

export type WriteCostRows = Record<'POST' | 'PATCH' | 'DELETE', { on: Row[]; off: Row[] }>;

const writeScenarios = (actors: number, rounds: number, round: number, on: boolean): Record<keyof WriteCostRows, Scenario> => {
  // Each DELETE run takes ids of its own in the upper half, far above those the other phases delete.
  const block = Math.floor(actors / 2 / (2 * rounds));
  const from = Math.floor(actors / 2) + (round * 2 + (on ? 0 : 1)) * block + 1;
  return { POST: postActorScenario, PATCH: patchScenario(Math.floor(actors / 2)), DELETE: deleteActorScenario(from, from + block - 1) };
};

/**
 * POST, PATCH (a new name) and DELETE with migration 006's triggers on (now) and off (the statements
 * of before it: the API's write code did not change), alternating `rounds` times on one API process.
 * The triggers are switched with ALTER TABLE … DISABLE TRIGGER between runs; afterwards they are on
 * and the counts rebuilt, so later phases read exact counts.
 */
export async function measureWriteCost(
  bench: Bench,
  served: Served,
  url: string,
  actors: number,
  rows: string,
  rounds: number,
): Promise<WriteCostRows> {
  const result: WriteCostRows = { POST: { on: [], off: [] }, PATCH: { on: [], off: [] }, DELETE: { on: [], off: [] } };
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const on of [true, false]) {
        await setSearchTriggers(url, on);
        const scenarios = writeScenarios(actors, rounds, round, on);
        for (const kind of ['POST', 'PATCH', 'DELETE'] as const) {
          const row = await measure(bench, served, scenarios[kind], rows);
          row.server = `${served.name}, migration 006 triggers ${on ? 'on' : 'off'}`;
          result[kind][on ? 'on' : 'off'].push(row);
        }
      }
    }
  } finally {
    await setSearchTriggers(url, true);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SELECT row_counts_recount()').finally(() => client.end());
  }
  return result;
}

/** The API process for one side of the comparison. */
export const searchServer = (name: string, env: Record<string, string>, counted: boolean) =>
  serve(name, ['dist/server.js'], { ...env, SEARCH_CACHE_SIZE: '0', COUNTED_LISTS: counted ? 'on' : 'off' }, '/ready');

const f2 = (n: number) => n.toFixed(2);

/** Each case's p50 before (COUNTED_LISTS=off) and after, from the same run. */
export function searchRatios(s: SearchRows): string[] {
  return s.counted.flatMap((after) => {
    const before = s.plain.find((r) => r.request === after.request);
    if (!after.result || !before?.result) return [];
    return [
      `${after.request} at ${after.rows}, p50: ${f2(before.result.p50)} → **${f2(after.result.p50)} ms** (×${(before.result.p50 / after.result.p50).toFixed(1)})`,
    ];
  });
}

export function searchTargets(s: SearchRows): Target[] {
  const targets: Target[] = [];
  for (const r of s.counted) {
    const kind = r.note?.split(';')[0] ?? '';
    const name = `${r.request} at ${r.rows} (one at a time, search cache off)`;
    if (!r.result) {
      targets.push({ name, goal: '–', measured: '–', met: null, why: r.note });
      continue;
    }
    const { p50, p99 } = r.result;
    if (kind === 'q' || kind === 'typed')
      targets.push({
        name,
        goal: 'p50 < 10 ms, p99 < 25 ms, exact total',
        measured: `p50 ${f2(p50)} ms, p99 ${f2(p99)} ms`,
        met: p50 < 10 && p99 < 25,
      });
    else if (kind === 'middle page') targets.push({ name, goal: 'p50 < 50 ms', measured: `${f2(p50)} ms`, met: p50 < 50 });
    else targets.push({ name, goal: 'p50 < 10 ms', measured: `${f2(p50)} ms`, met: p50 < 10 });
  }
  return targets;
}

const medianRps = (rows: Row[]) => {
  const values = rows
    .filter((r) => r.result)
    .map((r) => r.result!.rps)
    .sort((a, b) => a - b);
  return values.length ? values[Math.floor((values.length - 1) / 2)]! : null;
};

export function writeCostTargets(w?: WriteCostRows): Target[] {
  if (!w)
    return [
      { name: 'writes with migration 006 vs without', goal: 'within 10 %', measured: '–', met: null, why: 'not run (embedded database)' },
    ];
  return (['POST', 'PATCH', 'DELETE'] as const).map((kind) => {
    const on = medianRps(w[kind].on);
    const off = medianRps(w[kind].off);
    const name = `${kind} /actors throughput, migration 006 triggers on vs off (alternating, medians of ${w[kind].on.length})`;
    if (on === null || off === null) return { name, goal: 'within 10 %', measured: '–', met: null, why: 'a run was skipped' };
    const change = 100 * (on / off - 1);
    return {
      name,
      goal: 'within 10 %',
      measured: `${change >= 0 ? '+' : ''}${change.toFixed(1)} % (${Math.round(on)} vs ${Math.round(off)} req/s)`,
      met: change >= -10,
    };
  });
}
