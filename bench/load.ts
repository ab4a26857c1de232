import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadTool } from './options';
import type { Scenario } from './scenarios';

export type LoadRun = { url: string; scenario: Scenario; token: string; connections: number; seconds: number };
/**
 * Latencies in milliseconds; `bad` counts answers that were not 2xx and socket errors. `cpuUs` is the
 * server's CPU time per request (filled in by run.ts): unlike req/s, it barely moves when other
 * processes compete for the cores.
 */
export type LoadResult = { rps: number; p50: number; p99: number; requests: number; bad: number; cpuUs?: number };

const headersOf = ({ scenario, token }: LoadRun): Record<string, string> => ({
  ...(scenario.auth ? { authorization: `Bearer ${token}` } : {}),
  ...(scenario.body ? { 'content-type': 'application/json' } : {}),
});

/** Ids per request: random in the range, or counted up from its start, never twice (see scenarios.ts). */
function idSource(scenario: Scenario): () => number {
  const ids = scenario.ids;
  if (!ids) return () => 0;
  if (ids.kind === 'random') return () => ids.from + Math.floor(Math.random() * (ids.to - ids.from + 1));
  let next = ids.from;
  return () => next++;
}

/** `{seq}` in a body: a number that changes with every request, so that each PATCH changes its row. */
const SEQ = '{seq}';

async function withAutocannon(run: LoadRun): Promise<LoadResult> {
  const nextId = idSource(run.scenario);
  const { method, body, path: template } = run.scenario;
  let seq = 0;
  const bodyFor = body?.includes(SEQ) ? () => body.replace(SEQ, String((seq += 1))) : () => body;
  const result = await autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    // autocannon checks for the end once per sample: a run shorter than a second (the smoke) samples more often.
    sampleInt: Math.min(1000, Math.max(10, Math.round((run.seconds * 1000) / 5))),
    requests: [
      {
        method,
        body,
        headers: headersOf(run),
        setupRequest: (req) => ({ ...req, path: template.replace('{id}', String(nextId())), body: bodyFor() }),
      },
    ],
  });
  return {
    rps: result.requests.total / Math.max(result.duration, 0.001),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

const lua = (value: unknown) => JSON.stringify(value ?? null).replace(/^null$/, 'nil');

/** The wrk script: the same request shape and ids; `done` prints the numbers as one JSON line. */
function wrkScript(run: LoadRun): string {
  const { method, path: template, body, ids } = run.scenario;
  const headers = Object.entries(headersOf(run)).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`);
  return `
local method, template, body = ${lua(method)}, ${lua(template)}, ${lua(body)}
local headers = { ${headers.join(', ')} }
local kind, from, to = ${lua(ids?.kind ?? 'none')}, ${ids?.from ?? 0}, ${ids?.to ?? 0}
local created, counter = 0, 0
function setup(thread) thread:set("tid", created); created = created + 1 end
function init(args) nthreads = tonumber(args[1]); math.randomseed(os.time() + tid * 7919) end
function request()
  local id = 0
  if kind == "random" then id = math.random(from, to)
  elseif kind == "sequence" then id = from + tid + counter * nthreads end
  counter = counter + 1
  local sent = body and (body:gsub("{seq}", tostring(tid * 1000000000 + counter))) or nil
  return wrk.format(method, (template:gsub("{id}", tostring(id))), headers, sent)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_RESULT {"requests":%d,"us":%d,"p50":%d,"p99":%d,"bad":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end`;
}

async function withWrk(run: LoadRun): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'casting-agency-wrk-'));
  const script = path.join(dir, 'scenario.lua');
  writeFileSync(script, wrkScript(run));
  const threads = Math.min(2, run.connections);
  const args = ['-t', String(threads), '-c', String(run.connections), '-d', `${Math.max(1, Math.round(run.seconds))}s`];
  try {
    const { stdout } = await promisify(execFile)('wrk', [...args, '--timeout', '10s', '-s', script, run.url, '--', String(threads)]);
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    const r = JSON.parse(line.slice('BENCH_RESULT '.length)) as { requests: number; us: number; p50: number; p99: number; bad: number };
    return { rps: r.requests / (r.us / 1e6), p50: r.p50 / 1000, p99: r.p99 / 1000, requests: r.requests, bad: r.bad };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const runLoad = (tool: LoadTool, run: LoadRun): Promise<LoadResult> => (tool === 'wrk' ? withWrk(run) : withAutocannon(run));
