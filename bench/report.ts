import type { LoadResult } from './load';
import type { StartupTimes } from './startup';

export type Row = { rows: string; server: string; request: string; connections: number; result?: LoadResult; note?: string };
export type Target = { name: string; goal: string; measured: string; met: boolean | null; why?: string };
export type Report = {
  header: Record<string, string>;
  rows: Row[];
  ratios: string[];
  targets: Target[];
  rss: string[];
  startup?: StartupTimes;
};

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? num(n, 2) : num(n, 1));

function table(rows: Row[]): string[] {
  const lines = [
    '| rows | server | request | conns | req/s | p50 ms | p99 ms | server CPU µs/req | errors | notes |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    const x = r.result;
    const cells = x
      ? [num(x.rps), ms(x.p50), ms(x.p99), x.cpuUs === undefined ? '?' : num(x.cpuUs), num(x.bad)]
      : ['–', '–', '–', '–', '–'];
    lines.push(`| ${r.rows} | ${r.server} | \`${r.request}\` | ${r.connections} | ${cells.join(' | ')} | ${r.note ?? ''} |`);
  }
  return lines;
}

const verdict = (t: Target) => (t.met === null ? 'not measured' : t.met ? '**met**' : '**missed**');

const NOTES = [
  '## Reading the numbers',
  '',
  '- **Order.** Reads at the first size (with the ceilings and the two API variants), then the',
  '  large phase, then the writes (so they run at the large size). The writes come last because',
  '  PATCH and DELETE followed by a bulk insert of 900 000 actors once left the trigram index about',
  '  5 times slower for a rare `q` (13 ms against 2.6 ms for the same statement, until `REINDEX`):',
  '  worth knowing for a production table that grows in bulk.',
  '- **Exact search totals cost what they count, once.** `all_actors` of a `q` search counts every',
  '  match (the contract), so a fragment found in 0.75 % of a million names reads ~7 000 rows. The',
  "  API keeps each search with its table's version (migration 004) and answers it again after one",
  '  small read while the table is unchanged: the "API" rows with `q` are such repeats, the',
  '  "search cache off" rows what a search costs the first time or after any change to the table.',
  '  The unfiltered total costs nothing (the counter of migration 003).',
  '- **Searches as typed, deep pages (issue 13).** At a million actors and a million movies, one',
  '  request at a time, search cache off: "API, search cache off" is the API as it is, "…,',
  '  COUNTED_LISTS=off" the same build reading every list as before migration 006 (count every',
  '  match, skip from the start): the before and after of one run. The typed rows send a, al, ali,',
  '  alic, alice one after the other, each when the answer to the one before came. Last and middle',
  '  pages are the ones the page-1 `Link` header\'s `rel="last"` names (and half of it). `qx` matches',
  '  25 actors added for it (no generated name has it): the rare short search. The write rows switch',
  "  migration 006's triggers on and off between runs on one API process (its write code did not",
  '  change), alternating; the counts are rebuilt afterwards.',
  '- **What history costs a write.** "with history" and "without history" run the same script',
  '  (bench/history-variant.ts, the API composed as src/server.ts composes it) on the same data, in',
  '  turns. Without history its PATCH sends what it sent before history existed (one UPDATE on the',
  '  pool); with it, BEGIN, the UPDATE, the INSERT into `changes`, COMMIT. Each PATCH sets a new name,',
  '  so every one records a change. The history reads run after the bulk load of the changes.',
  '- **Two cores for everything.** The API, PostgreSQL, the load generator and, while this ran,',
  '  other jobs share two cores: a second worker has little idle CPU to use, and p99 at 32',
  '  connections moves with whatever else runs (compare the runs listed in the notes column).',
  '  Machines of the same kind differ too: compare the ceilings (bare node:http + pg) between runs',
  "  before comparing the API's own numbers.",
  '',
];

function startupLines(s: StartupTimes): string[] {
  const later = s.later.map((t) => num(t, 2)).join(' s, ');
  return [
    '## Start-up (embedded database, `npm start` until `GET /health` answers)',
    '',
    `- first start of a fresh copy (compiles src/, creates the database, loads the sample data): **${num(s.first, 2)} s**`,
    `- later starts: ${later} s`,
    ...(s.npmTest ? [`- the whole \`npm test\` on the embedded database: **${num(s.npmTest.seconds, 1)} s** (${s.npmTest.summary})`] : []),
    '',
  ];
}

export function renderMarkdown(report: Report): string {
  const header = Object.entries(report.header).map(([k, v]) => `- **${k}**: ${v}`);
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Everything runs on loopback on one machine: the database,',
    'the API built for production (`node dist/server.js` with `NODE_ENV=test`, which differs from production only in',
    'sending no HSTS header: production refuses the local plain-HTTP issuer; JSON logs at `info` to a file), a',
    'local RS256 issuer (its JWKS on 127.0.0.1), the two ceiling servers and the load',
    'generator. Two cores are shared by all of them (and, when this was run, by other jobs: see the load',
    'average), so absolute numbers are noisy; compare the ratios, which come from one run.',
    '',
    ...header,
    '',
    ...table(report.rows),
    '',
    'p50/p99: latency percentiles under the given number of concurrent connections (autocannon measures',
    'whole milliseconds, wrk microseconds); "errors": answers other than the expected 2xx, and socket',
    'errors. "server CPU": CPU time of the server process (all its workers) per request, which other',
    'jobs on the machine barely change: the steadiest way to compare the API with its ceilings. It',
    'leaves out PostgreSQL and the load generator. Every authenticated request carries the same',
    'Auth0-style RS256 access token.',
    '',
    '## Ratios (same run)',
    '',
    ...report.ratios.map((r) => `- ${r}`),
    '',
    '## Targets',
    '',
    '| target | goal | measured | verdict |',
    '|---|---|---|---|',
    ...report.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${verdict(t)}${t.why ? `: ${t.why}` : ''} |`),
    '',
    '## Peak memory (VmHWM, summed over the process and its workers)',
    '',
    ...report.rss.map((r) => `- ${r}`),
    '',
    ...NOTES,
    ...(report.startup ? startupLines(report.startup) : []),
  ].join('\n');
}
