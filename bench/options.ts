import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

export type LoadTool = 'wrk' | 'autocannon';

export type BenchOptions = {
  actors: number;
  movies: number;
  casts: number;
  /** Actors for the second phase (0 skips it). */
  bigActors: number;
  /** Changes in the history for the history reads (0 skips them). */
  changes: number;
  /** Seconds per measured run, and of the discarded warm-up before it. */
  duration: number;
  warmup: number;
  /** Runs per read scenario; the median is reported. */
  repeat: number;
  connections: number;
  tool: LoadTool;
  /** The `q` values of the search scenarios: the first in the main phase, each one in the large phase. */
  q: string[];
  smoke: boolean;
  /** Where the markdown report goes; null writes none. */
  out: string | null;
  startup: boolean;
  npmTest: boolean;
};

const USAGE = `npm run bench -- [--smoke] [--actors N] [--movies N] [--casts N] [--big-actors N]
  [--changes N] [--duration S] [--warmup S] [--repeat N] [--connections N] [--tool wrk|autocannon] [--q TEXT[,TEXT…]] [--out FILE|-]
  [--no-startup] [--npm-test]
BENCH_DATABASE_URL=postgres://user@host/db: the server to create (and drop) a bench database on;
unset: the embedded database (PGlite), labelled as such.`;

const hasWrk = (): boolean => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version; only a missing binary throws ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};

const count = (value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${value}\n${USAGE}`);
  return n;
};

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      actors: { type: 'string' },
      movies: { type: 'string' },
      casts: { type: 'string' },
      'big-actors': { type: 'string' },
      changes: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      repeat: { type: 'string' },
      connections: { type: 'string' },
      tool: { type: 'string' },
      q: { type: 'string' },
      out: { type: 'string' },
      'no-startup': { type: 'boolean', default: false },
      'npm-test': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke;
  // wrk counts whole seconds: the smoke's runs are shorter.
  const tool = values.tool ?? (!smoke && hasWrk() ? 'wrk' : 'autocannon');
  if (tool !== 'wrk' && tool !== 'autocannon') throw new Error(`--tool must be wrk or autocannon\n${USAGE}`);
  return {
    smoke,
    actors: count(values.actors, smoke ? 3_000 : 100_000),
    movies: count(values.movies, smoke ? 500 : 100_000),
    casts: count(values.casts, smoke ? 5_000 : 1_000_000),
    bigActors: count(values['big-actors'], smoke ? 6_000 : 1_000_000),
    changes: count(values.changes, smoke ? 20_000 : 1_000_000),
    duration: count(values.duration, smoke ? 0.15 : 6),
    warmup: count(values.warmup, smoke ? 0 : 2),
    repeat: Math.max(1, count(values.repeat, smoke ? 1 : 3)),
    connections: count(values.connections, 32),
    tool,
    // A fragment in ~0.75 % of the names, and a rarer one (~0.01 %), as a surname search would be.
    q: (values.q ?? 'lumten,lumtenka').split(',').filter(Boolean),
    out: values.out === '-' ? null : (values.out ?? (smoke ? null : 'docs/benchmarks.md')),
    startup: !smoke && !values['no-startup'],
    npmTest: values['npm-test'],
  };
}
