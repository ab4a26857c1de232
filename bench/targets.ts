import type { BenchOptions } from './options';
import type { Row, Target } from './report';
import type { StartupTimes } from './startup';
import { HOT_LABEL, type WriteRows } from './history';
import { searchRatios, searchTargets, writeCostTargets, type SearchRows, type WriteCostRows } from './search';

/** The rows the targets read, found by what run.ts measured. */
export type Measured = {
  list?: Row;
  httpCeiling?: Row;
  expressCeiling?: Row;
  cacheOff?: Row;
  twoWorkers?: Row;
  /** The searches again on an API with SEARCH_CACHE_SIZE=0 (each one found and counted every time). */
  searchCacheOff: Row[];
  /** The same PATCH with and without its history, alternating (bench/history.ts). */
  writes?: WriteRows;
  /** GET …/history at the loaded number of changes, one request at a time. */
  history: Row[];
  reads: Row[];
  big: Row[];
  /** Issue 13's phase at a million actors and movies: the API as it is, and with COUNTED_LISTS=off. */
  search: SearchRows;
  /** Writes with migration 006's triggers on and off, alternating. */
  writeCost?: WriteCostRows;
  startup?: StartupTimes;
};

const pct = (a?: Row, b?: Row) => (a?.result && b?.result ? (100 * a.result.rps) / b.result.rps : null);
const skipped = (row?: Row) => row?.note ?? 'not run';
const f1 = (n: number) => n.toFixed(1);

function ratioTarget(name: string, goal: number, api?: Row, ceiling?: Row): Target {
  const p = pct(api, ceiling);
  if (p === null) return { name, goal: `≥ ${goal} %`, measured: '–', met: null, why: skipped(api?.result ? ceiling : api) };
  return {
    name,
    goal: `≥ ${goal} %`,
    measured: `${f1(p)} % (${Math.round(api!.result!.rps)} / ${Math.round(ceiling!.result!.rps)} req/s)`,
    met: p >= goal,
  };
}

function latencyTarget(row: Row, which: 'p50' | 'p99', limit: number, context: string): Target {
  const name = `${row.request} ${context}`;
  const goal = `${which} < ${limit} ms`;
  if (!row.result) return { name, goal, measured: '–', met: null, why: skipped(row) };
  const value = row.result[which];
  return { name, goal, measured: `${value.toFixed(2)} ms`, met: value < limit };
}

/** The middle one by req/s (the median for an odd count). */
const medianRow = (rows: Row[]): Row | undefined =>
  [...rows].filter((r) => r.result).sort((a, b) => a.result!.rps - b.result!.rps)[Math.floor((rows.length - 1) / 2)];

/** Write with history / the same write without it: the medians of the alternating runs. */
function historyCost(m: Measured): Target {
  const name = 'PATCH /actors/:id with history vs the same PATCH without it (statements before it)';
  const goal = 'at most 15 % slower (req/s)';
  const on = medianRow(m.writes?.withHistory ?? []);
  const off = medianRow(m.writes?.withoutHistory ?? []);
  if (!on?.result || !off?.result) return { name, goal, measured: '–', met: null, why: 'not run' };
  const slower = 100 * (1 - on.result.rps / off.result.rps);
  const cpu =
    on.result.cpuUs && off.result.cpuUs ? `; server CPU ${Math.round(on.result.cpuUs)} vs ${Math.round(off.result.cpuUs)} µs/req` : '';
  const measured = `${f1(slower)} % slower (${Math.round(on.result.rps)} vs ${Math.round(off.result.rps)} req/s, medians of ${m.writes!.withHistory.length}${cpu})`;
  return { name, goal, measured, met: slower <= 15 };
}

export function ratios(m: Measured): string[] {
  const lines: string[] = [];
  const add = (label: string, a?: Row, b?: Row) => {
    const p = pct(a, b);
    if (p !== null) lines.push(`${label}: **${f1(p)} %**`);
  };
  add('API list page (auth, validation, exact count, logging) / bare node:http + pg page (no count)', m.list, m.httpCeiling);
  add('API list page / bare Express running the same list query (count included)', m.list, m.expressCeiling);
  add('API list page, token cache off (RS256 verification per request) / bare Express', m.cacheOff, m.expressCeiling);
  add('API list page with the token cache / without it', m.list, m.cacheOff);
  add('API list page, 2 workers (WEB_CONCURRENCY=2) / 1 worker', m.twoWorkers, m.list);
  for (const off of m.searchCacheOff) {
    const on = [...m.reads, ...m.big].find((r) => r.request === off.request && r.rows === off.rows && r.connections === off.connections);
    add(`${off.request} at ${off.rows}, ${off.connections} conns: with the search cache / without it`, on, off);
  }
  const cpu = (label: string, a?: Row, b?: Row) => {
    if (a?.result?.cpuUs && b?.result?.cpuUs)
      lines.push(
        `${label}: **${f1((100 * b.result.cpuUs) / a.result.cpuUs)} %** (${Math.round(a.result.cpuUs)} vs ${Math.round(b.result.cpuUs)} µs of server CPU per request)`,
      );
  };
  cpu('CPU cost: bare node:http + pg per request / API per request', m.list, m.httpCeiling);
  cpu('CPU cost: bare Express + same query per request / API per request', m.list, m.expressCeiling);
  lines.push(...searchRatios(m.search));
  if (m.list?.result) lines.push(`API list page / the original API's ~35 req/s: **×${Math.round(m.list.result.rps / 35)}**`);
  return lines;
}

export function targets(m: Measured, options: BenchOptions): Target[] {
  const list: Target[] = [
    ratioTarget('list page vs bare node:http + pg', 20, m.list, m.httpCeiling),
    ratioTarget('list page vs bare Express + same query', 80, m.list, m.expressCeiling),
    ...(m.list ? [latencyTarget(m.list, 'p99', 15, `at ${m.list.rows}, ${m.list.connections} connections`)] : []),
    ...m.reads.map((r) => latencyTarget(r, 'p99', 25, `at ${r.rows}, ${r.connections} connections`)),
    ...m.big.filter((r) => r.connections === 1).map((r) => latencyTarget(r, 'p50', 10, `at ${r.rows} (one request at a time)`)),
    // The same targets for a search that runs for the first time (or right after a change to the table).
    ...m.searchCacheOff.map((r) =>
      r.connections === 1
        ? latencyTarget(r, 'p50', 10, `at ${r.rows} (one request at a time), search cache off`)
        : latencyTarget(r, 'p99', 25, `at ${r.rows}, ${r.connections} connections, search cache off`),
    ),
  ];
  list.push(...searchTargets(m.search), ...writeCostTargets(m.writeCost));
  list.push(historyCost(m));
  for (const r of m.history.filter((row) => !row.request.includes(HOT_LABEL)))
    list.push(latencyTarget(r, 'p50', 5, `at ${r.rows} (one request at a time)`));
  const one = m.list?.result;
  const two = m.twoWorkers?.result;
  list.push({
    name: 'WEB_CONCURRENCY: throughput with 1 and 2 workers',
    goal: 'shown',
    measured: one && two ? `${Math.round(one.rps)} → ${Math.round(two.rps)} req/s (×${(two.rps / one.rps).toFixed(2)})` : '–',
    met: one && two ? true : null,
    why: one && two ? undefined : skipped(m.twoWorkers),
  });
  const s = m.startup;
  if (s) {
    list.push({ name: 'first `npm start` (embedded)', goal: '< 6 s', measured: `${s.first.toFixed(2)} s`, met: s.first < 6 });
    const worst = Math.max(...s.later);
    list.push({
      name: 'later `npm start` (embedded), slowest of ' + s.later.length,
      goal: '< 2 s',
      measured: `${worst.toFixed(2)} s`,
      met: worst < 2,
    });
    if (s.npmTest)
      list.push({
        name: 'whole `npm test` (embedded)',
        goal: '< 60 s',
        measured: `${s.npmTest.seconds.toFixed(1)} s`,
        met: s.npmTest.seconds < 60,
      });
  } else if (!options.smoke) {
    list.push({ name: 'start-up times', goal: '< 6 s / < 2 s', measured: '–', met: null, why: 'run without --no-startup to measure' });
  }
  return list;
}
