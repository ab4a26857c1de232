import { runLoad, type LoadResult } from './load';
import type { BenchOptions } from './options';
import type { Served } from './processes';
import type { Row } from './report';
import { pathFor, type Scenario } from './scenarios';

export type Bench = { options: BenchOptions; token: string; rows: Row[]; say(message: string): void };

/** One request first: a scenario whose answer is not the expected status is skipped, with the reason. */
async function probe(bench: Bench, served: Served, scenario: Scenario): Promise<{ skipped?: string; note?: string }> {
  const headers: Record<string, string> = scenario.auth ? { authorization: `Bearer ${bench.token}` } : {};
  if (scenario.body) headers['content-type'] = 'application/json';
  const answer = await fetch(served.url + pathFor(scenario), { method: scenario.method, headers, body: scenario.body });
  const body = (await answer.json().catch(() => ({}))) as { code?: string; movie?: object; actor?: object };
  if (answer.status !== scenario.expect) {
    return { skipped: `skipped: the probe answered ${answer.status}${body.code ? ` ${body.code}` : ''} (expected ${scenario.expect})` };
  }
  const embedded = body.movie ?? body.actor;
  if (!embedded) return {};
  return { note: 'actors' in embedded || 'movies' in embedded ? 'with its cast list' : 'no cast list in the answer' };
}

/** One timed run, with the server's CPU time per request. */
async function timedRun(bench: Bench, served: Served, scenario: Scenario, connections: number): Promise<LoadResult> {
  const cpuBefore = served.cpuSeconds();
  const result = await runLoad(bench.options.tool, {
    url: served.url,
    scenario,
    token: bench.token,
    connections,
    seconds: bench.options.duration,
  });
  const cpuAfter = served.cpuSeconds();
  if (cpuBefore !== null && cpuAfter !== null && result.requests > 0) result.cpuUs = ((cpuAfter - cpuBefore) * 1e6) / result.requests;
  return result;
}

/**
 * One scenario against one server: the probe, a warm-up, then `repeat` runs of which the median by
 * req/s is reported (reads only: each write run changes the data the next one would see).
 */
export async function measure(
  bench: Bench,
  served: Served,
  scenario: Scenario,
  rows: string,
  connections = bench.options.connections,
): Promise<Row> {
  const row: Row = { rows, server: served.name, request: scenario.name, connections };
  bench.rows.push(row);
  const { skipped, note } = await probe(bench, served, scenario);
  if (skipped) {
    row.note = skipped;
    bench.say(`${scenario.name}: ${skipped}`);
    return row;
  }
  // The probe used the first id of a counted range (a DELETE): the run starts after it, with no warm-up.
  const run = scenario.ids?.kind === 'sequence' ? { ...scenario, ids: { ...scenario.ids, from: scenario.ids.from + 1 } } : scenario;
  if (bench.options.warmup > 0 && run.ids?.kind !== 'sequence') {
    await runLoad(bench.options.tool, { url: served.url, scenario: run, token: bench.token, connections, seconds: bench.options.warmup });
  }
  const repeat = scenario.read ? bench.options.repeat : 1;
  const results: LoadResult[] = [];
  for (let i = 0; i < repeat; i += 1) results.push(await timedRun(bench, served, run, connections));
  results.sort((a, b) => a.rps - b.rps);
  row.result = results[Math.floor((results.length - 1) / 2)];
  row.note = [note, repeat > 1 ? `median of ${repeat} runs (${results.map((r) => Math.round(r.rps)).join(', ')} req/s)` : undefined]
    .filter(Boolean)
    .join('; ');
  const r = row.result!;
  bench.say(`${served.name} ${scenario.name} (${rows}, ${connections} conns): ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(1)} ms`);
  return row;
}
