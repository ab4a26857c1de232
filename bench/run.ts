import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIENCE, TestIssuer } from '../tests/kit/issuer';
import { countMatches, grow, loadData, migrateBenchDatabase } from './data';
import { historyScenarios, loadHistory, measureWrites } from './history';
import { openBenchDatabase } from './database';
import { loadAverage, machine, ROOT } from './machine';
import { measure, type Bench } from './measure';
import { parseOptions } from './options';
import { serve, type Served } from './processes';
import { renderMarkdown, type Row } from './report';
import { bigScenarios, isSearch, listScenario, readScenarios, writeScenarios, type Scenario } from './scenarios';
import { addRareNames, foldAll, measureSearches, measureWriteCost, searchServer } from './search';
import { measureStartup, timeNpmTest } from './startup';
import { ratios, targets, type Measured } from './targets';

const TSX = require.resolve('tsx/cjs');
const SEARCH_CACHE_OFF = 'API, search cache off';
const began = Date.now();
const say = (message: string) => process.stderr.write(`bench [${((Date.now() - began) / 1000).toFixed(1)} s]: ${message}\n`);
const thousands = (n: number) => n.toLocaleString('en-US');
/** The actor whose history is long: the last of the first phase, which the DELETE run does not reach. */
const HOT_ACTOR = (options: { actors: number }) => options.actors;

function build(smoke: boolean): void {
  if (smoke) {
    (require(path.join(ROOT, 'scripts/dist.js')) as { ensureDist(): number }).ensureDist();
    return;
  }
  say('building the API for production (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** Another API process with `env` changed, measured on `scenarios` (default: the list page) and stopped. */
async function variant(
  bench: Bench,
  name: string,
  env: Record<string, string>,
  rows: string,
  rss: string[],
  scenarios: Scenario[] = [listScenario()],
  connections?: number,
): Promise<Row[]> {
  const api = await serve(name, ['dist/server.js'], env, '/ready');
  try {
    const measured: Row[] = [];
    for (const scenario of scenarios) measured.push(await measure(bench, api, scenario, rows, connections));
    return measured;
  } finally {
    rss.push(`${name}: ${api.peakRssMb()?.toFixed(0) ?? '?'} MB`);
    await api.stop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const header = machine();
  const loadBefore = loadAverage();
  build(options.smoke);
  const database = await openBenchDatabase(process.env.BENCH_DATABASE_URL);
  const issuer = await TestIssuer.start();
  const running: Served[] = [];
  const m: Measured = { reads: [], big: [], searchCacheOff: [], history: [], search: { counted: [], plain: [] } };
  const rss: string[] = [];
  const bench: Bench = { options, token: issuer.token('producer', { exp: Math.floor(Date.now() / 1000) + 6 * 3600 }), rows: [], say };
  try {
    say(`database: ${database.label}`);
    await migrateBenchDatabase(database.url);
    const loaded = await loadData(database.url, options);
    // Loaded before any API process runs: the embedded database shares one session between connections.
    if (options.changes > 0) {
      const history = await loadHistory(database.url, options.changes, options.actors, options.movies, HOT_ACTOR(options));
      header.history = `${history.sizes}; loaded in ${history.seconds.toFixed(1)} s`;
    }
    const rows = `${thousands(options.actors)} actors`;
    const env = {
      // Production refuses the bench's plain-HTTP issuer; `test` differs from it only in sending no HSTS header.
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      ISSUER_BASE_URL: issuer.url,
      AUDIENCE,
      LOG_LEVEL: 'info',
      PG_POOL_MAX: '10',
      // The limiter stays on (its cost is part of every request) with room for one caller's whole run.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      RATE_LIMIT_SEARCHES_PER_MINUTE: '1000000',
    };
    const start = async (name: string, args: string[], extra: Record<string, string> = {}) => {
      const served = await serve(name, args, { ...env, ...extra }, '/ready');
      running.push(served);
      return served;
    };
    const [httpCeiling, expressCeiling, api] = await Promise.all([
      start('bare node:http + pg', ['--require', TSX, 'bench/ceiling-http.ts']),
      start('bare Express + same query', ['--require', TSX, 'bench/ceiling-express.ts']),
      start('API', ['dist/server.js'], { WEB_CONCURRENCY: '1' }),
    ]);

    const ctx = { actors: options.actors, movies: options.movies, q: options.q };
    m.httpCeiling = await measure(bench, httpCeiling, listScenario(), rows);
    m.expressCeiling = await measure(bench, expressCeiling, listScenario(), rows);
    for (const scenario of readScenarios(ctx)) m.reads.push(await measure(bench, api, scenario, rows));
    m.list = m.reads.find((r) => r.request === listScenario().name);
    [m.cacheOff] = await variant(bench, 'API, token cache off', { ...env, TOKEN_CACHE_SIZE: '0' }, rows, rss);
    // Every search above after the first is answered from the search cache (the table does not change
    // while reads run): the same searches with the cache off show what a search costs the first time.
    const searches = readScenarios(ctx).filter(isSearch);
    m.searchCacheOff = await variant(bench, SEARCH_CACHE_OFF, { ...env, SEARCH_CACHE_SIZE: '0' }, rows, rss, searches);
    if (database.label.startsWith('EMBEDDED')) {
      m.twoWorkers = {
        rows,
        server: 'API, 2 workers',
        request: listScenario().name,
        connections: options.connections,
        note: 'skipped: one process on the embedded database',
      };
      bench.rows.push(m.twoWorkers);
    } else {
      [m.twoWorkers] = await variant(bench, 'API, 2 workers', { ...env, WEB_CONCURRENCY: '2' }, rows, rss);
    }

    // The large phase comes before the writes: PATCH and DELETE followed by a bulk insert of 900 000
    // rows left the trigram index ~5x slower for a rare search until a REINDEX (measured; see the notes).
    let size = rows;
    if (options.bigActors > 0) {
      const grown = await grow(database.url, 'actors', options.bigActors);
      size = `${thousands(options.bigActors)} actors`;
      say(`grew to ${size} in ${grown.toFixed(1)} s`);
      for (const scenario of bigScenarios(ctx)) m.big.push(await measure(bench, api, scenario, size));
      for (const scenario of bigScenarios(ctx)) m.big.push(await measure(bench, api, scenario, size, 1));
      const bigSearches = bigScenarios(ctx).filter(isSearch);
      m.searchCacheOff.push(...(await variant(bench, SEARCH_CACHE_OFF, { ...env, SEARCH_CACHE_SIZE: '0' }, size, rss, bigSearches, 1)));
    }
    // Issue 13: searches as typed and deep pages at a million actors and movies, before (COUNTED_LISTS=off) and after.
    if (options.bigActors > 0) {
      const grown = await grow(database.url, 'movies', options.bigActors);
      await addRareNames(database.url);
      const folded = await foldAll(database.url);
      say(
        `grew movies to ${thousands(options.bigActors)} in ${grown.toFixed(1)} s; folded the pending search counts in ${folded.toFixed(1)} s`,
      );
      const both = `${thousands(options.bigActors)} actors and movies`;
      const [samples, budget] = options.smoke ? [3, 200] : [40, 4_000];
      for (const counted of [true, false]) {
        const name = counted ? 'API, search cache off' : 'API, search cache off, COUNTED_LISTS=off';
        const served = await searchServer(name, env, counted);
        try {
          m.search[counted ? 'counted' : 'plain'] = await measureSearches(bench, served, both, samples, budget);
        } finally {
          rss.push(`${name}: ${served.peakRssMb()?.toFixed(0) ?? '?'} MB`);
          await served.stop();
        }
      }
      if (!database.label.startsWith('EMBEDDED')) {
        m.writeCost = await measureWriteCost(bench, api, database.url, options.bigActors, both, options.repeat);
      }
    }
    // Before the DELETE run, which removes actors from id 1 up: every PATCH finds its actor.
    // Skipped on the embedded database: two API processes writing in transactions through its one shared session stall it.
    if (!database.label.startsWith('EMBEDDED')) m.writes = await measureWrites(bench, env, options.actors, size, options.repeat);
    for (const scenario of writeScenarios(ctx)) await measure(bench, api, scenario, size);
    // Deleted actors keep their history: every id of the first phase has some.
    const at = `${thousands(options.changes)} changes`;
    for (const scenario of options.changes > 0 ? historyScenarios(options.actors, options.movies, HOT_ACTOR(options)) : []) {
      m.history.push(await measure(bench, api, scenario, at, 1));
    }
    rss.unshift(`API (1 worker), whole run: ${api.peakRssMb()?.toFixed(0) ?? '?'} MB`);
    header.database = `${database.label}; ${database.version}`;
    const matches = await Promise.all(options.q.map(async (q) => `\`q=${q}\` matches ${thousands(await countMatches(database.url, q))}`));
    header.data = `${thousands(options.actors)} actors, ${thousands(options.movies)} movies, ${thousands(options.casts)} cast entries loaded in ${loaded.toFixed(1)} s; at ${thousands(options.bigActors || options.actors)} actors, ${matches.join(', ')}`;
  } finally {
    for (const served of running) await served.stop();
    await issuer.close();
    await database.drop();
  }
  if (options.startup) {
    say('measuring npm start on the embedded database');
    m.startup = await measureStartup();
    if (options.npmTest) m.startup.npmTest = await timeNpmTest();
  }
  if (options.smoke) header.smoke = 'a few tenths of a second per run, to check that the bench works: these numbers mean nothing';
  header.load = `${options.tool}, ${options.connections} connections (and 1 for the one-at-a-time rows), ${options.duration} s per run after ${options.warmup} s of warm-up; reads: the median of ${options.repeat} runs`;
  header['load average (1/5/15 min)'] = `${loadBefore} before, ${loadAverage()} after`;
  const markdown = renderMarkdown({ header, rows: bench.rows, ratios: ratios(m), targets: targets(m, options), rss, startup: m.startup });
  process.stdout.write(`${markdown}\n`);
  if (options.out) writeFileSync(path.resolve(ROOT, options.out), markdown + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
