import path from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIENCE, TestIssuer } from '../tests/kit/issuer';
import { loadData, migrateBenchDatabase } from './data';
import { openBenchDatabase } from './database';
import { machine, ROOT } from './machine';
import { serve } from './processes';

/*
 * One caller looping searches that no cache can answer (one- and two-letter `q`, which the trigram
 * indexes cannot serve), while another caller reads single actors at a person's pace. Reported: the
 * other caller's latency idle and under the search loop, with the search limit on (the default) and
 * off (as before it existed), each in a fresh server process on the same data, in one run.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:fairness -- [--actors N] [--seconds S]
 */
const { values } = parseArgs({
  options: {
    actors: { type: 'string', default: '300000' },
    seconds: { type: 'string', default: '30' },
    smoke: { type: 'boolean', default: false },
  },
});
const ACTORS = Number(values.actors);
/** The other caller's window under the search loop (the idle one is half as long); a minute is the limits' window. */
const SECONDS = values.smoke ? 1 : Number(values.seconds);
const ATTACK_CONNECTIONS = 8;
const VICTIM_PAUSE_MS = 100;
const LETTERS = 'abcdefghijklmnoprstuvwz';

const say = (message: string) => process.stderr.write(`fairness: ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

type Latencies = { p50: number; p99: number; n: number; errors: number };

/** Sequential GET /actors/:id with a pause between requests, for `seconds`. */
async function victim(url: string, token: string, seconds: number): Promise<Latencies> {
  const times: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const id = 1 + Math.floor(Math.random() * ACTORS);
    const started = performance.now();
    const res = await fetch(`${url}/actors/${id}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    times.push(performance.now() - started);
    if (res.status !== 200) errors += 1;
    await sleep(VICTIM_PAUSE_MS);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), n: times.length, errors };
}

/**
 * `connections` loops of searches for `q`s never sent before (so never cached), until `stop` says so:
 * a caller at its limit, which spends its allowance as fast as it can and waits as `Retry-After` says.
 */
async function searchLoop(url: string, token: string, stop: () => boolean): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let n = 0;
  const nextQ = () => {
    n += 1;
    const a = LETTERS[n % LETTERS.length]!;
    const b = LETTERS[Math.floor(n / LETTERS.length) % LETTERS.length]!;
    return n <= LETTERS.length ? a : `${a}${b}`;
  };
  const loop = async () => {
    while (!stop()) {
      const res = await fetch(`${url}/actors?q=${nextQ()}&limit=20`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 429) {
        const waitUntil = Date.now() + Number(res.headers.get('retry-after') ?? 1) * 1000;
        while (!stop() && Date.now() < waitUntil) await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: ATTACK_CONNECTIONS }, loop));
  return statuses;
}

async function measureVariant(name: string, env: Record<string, string>, issuer: TestIssuer) {
  const api = await serve(name, ['dist/server.js'], env, '/ready');
  try {
    const victimToken = issuer.token('assistant', { sub: 'auth0|bench-victim' });
    const attackerToken = issuer.token('assistant', { sub: 'auth0|bench-attacker' });
    const idle = await victim(api.url, victimToken, SECONDS / 2);
    let stopped = false;
    const attack = searchLoop(api.url, attackerToken, () => stopped);
    const busy = await victim(api.url, victimToken, SECONDS);
    stopped = true;
    return { name, idle, busy, attacker: await attack };
  } finally {
    await api.stop();
  }
}

async function main(): Promise<void> {
  (require(path.join(ROOT, 'scripts/dist.js')) as { ensureDist(): number }).ensureDist();
  const database = await openBenchDatabase(process.env.BENCH_DATABASE_URL);
  const issuer = await TestIssuer.start();
  try {
    await migrateBenchDatabase(database.url);
    const actors = values.smoke ? 2_000 : ACTORS;
    say(`loading ${actors} actors into ${database.label}`);
    await loadData(database.url, { actors, movies: 10, casts: 0 });
    const env = { DATABASE_URL: database.url, ISSUER_BASE_URL: issuer.url, AUDIENCE, NODE_ENV: 'test', LOG_LEVEL: 'warn' };
    const rows = [];
    for (const [name, limit] of [
      ['search limit on (default, 30 a minute)', '30'],
      ['search limit off', '0'],
    ] as const) {
      say(`measuring: ${name}`);
      rows.push(await measureVariant(name, { ...env, RATE_LIMIT_SEARCHES_PER_MINUTE: limit }, issuer));
    }
    console.log(`# Search fairness (${actors} actors, ${database.version}, ${machine().machine})\n`);
    console.log("| server | other caller idle p50 / p99 (ms) | under the search loop p50 / p99 (ms) | p50 ratio | searcher's answers |");
    console.log('|---|---|---|---|---|');
    for (const r of rows) {
      const answers = Object.entries(r.attacker)
        .map(([status, count]) => `${count} × ${status}`)
        .join(', ');
      const ratio = (r.busy.p50 / r.idle.p50).toFixed(2);
      console.log(
        `| ${r.name} | ${r.idle.p50.toFixed(1)} / ${r.idle.p99.toFixed(1)} | ${r.busy.p50.toFixed(1)} / ${r.busy.p99.toFixed(1)} | ×${ratio} | ${answers} |`,
      );
    }
  } finally {
    await issuer.close();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
