import { fc, it } from '@fast-check/jest';
import { createServer, type Server } from 'node:http';
import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { answerClientErrorsAsJson } from '../../src/http/client-error';
import { createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';
import * as arb from './arbitraries';

// Thousands of random requests at every endpoint as every caller. Whatever comes in, the API answers
// without a 5xx, every error is our JSON shape with nothing internal in it, and a refused request
// leaves the database exactly as it was. Every answer is also checked against the OpenAPI document
// (ctx.app records them for tests/kit/openapi-check.ts; a mismatch fails the file). 2 400 runs take about 6 s here; on a loaded machine each
// property stops generating after 12 s rather than time out (the runs it made still count).
const RUNS = { bodies: 1000, urls: 700, headers: 700 };
const params = (numRuns: number) => ({ numRuns, interruptAfterTimeLimit: 12_000 });

let ctx: TestContext;
let server: Server;
let api: TestAgent;
let forgeries: string[];
beforeAll(async () => {
  ctx = await createTestContext();
  forgeries = Object.values(ctx.issuer.forgeries('producer'));
  // One listening server, set up as src/server.ts sets it up, so protocol-level errors are answered too.
  server = createServer(ctx.app);
  answerClientErrorsAsJson(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = request(server);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});
beforeEach(async () => {
  await ctx.reset();
  const actors = await insertActors(
    ctx.db,
    { name: 'Kevin', age: 22, gender: 'male' },
    { name: 'Ana', age: 30, gender: 'female' },
    { name: 'Li', age: 41, gender: 'x' },
  );
  const movies = await insertMovies(ctx.db, { title: 'Heat', release_date: '1995-12-15' }, { title: 'Ronin', release_date: '1998-09-25' });
  await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2), ($1, $3), ($4, $2)', [
    movies[0]!.id,
    actors[0]!.id,
    actors[1]!.id,
    movies[1]!.id,
  ]);
});

const SNAPSHOT = `SELECT md5(concat_ws('|',
  (SELECT string_agg(row_to_json(a)::text, ',' ORDER BY id) FROM actors a),
  (SELECT string_agg(row_to_json(m)::text, ',' ORDER BY id) FROM movies m),
  (SELECT string_agg(movie_id || ':' || actor_id, ',' ORDER BY movie_id, actor_id) FROM movie_actors))) AS h`;
const snapshot = async () => (await ctx.db.query<{ h: string }>(SNAPSHOT))[0]!.h;

const LEAKS =
  /\n\s+at |node_modules|\.ts:\d+|\b(SELECT|INSERT INTO|DELETE FROM)\b|\bUPDATE \w+ SET\b|syntax error|violates|duplicate key|relation "|pg_|ECONN/;

function authHeader(caller: arb.Caller, malformed: string, pick: number): string | undefined {
  if (caller === 'none') return undefined;
  if (caller === 'forged') return `Bearer ${forgeries[pick % forgeries.length]}`;
  if (caller === 'malformed') return malformed;
  return ctx.auth[caller];
}

type Request = {
  method: string;
  path: string;
  auth?: string;
  headers?: Record<string, string>;
  body?: { text: string; type: string; encoding?: string };
};

/** Sends one request and checks every invariant; returns the response for further checks. */
async function sendAndCheck(r: Request): Promise<Response> {
  const before = await snapshot();
  let req = api[r.method.toLowerCase() as 'get'](r.path).set(r.headers ?? {});
  if (r.auth !== undefined) req = req.set('Authorization', r.auth);
  if (r.body) {
    req = req.set('Content-Type', r.body.type);
    if (r.body.encoding) req = req.set('Content-Encoding', r.body.encoding);
    req = req.send(r.body.text);
  }
  const res = await req;
  const where = `${r.method} ${r.path} -> ${res.status} ${res.text?.slice(0, 300)}`;
  expect({ where, serverError: res.status >= 500 }).toEqual({ where, serverError: false });
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-powered-by']).toBeUndefined();
  if (r.auth?.startsWith('Bearer ') && r.auth.length > 40) expect(res.text ?? '').not.toContain(r.auth.slice(7));
  if (res.status >= 400) {
    if (r.method !== 'HEAD') {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const { success, error, message, code, details, ...rest } = res.body;
      expect({ where, success, error, rest }).toEqual({ where, success: false, error: res.status, rest: {} });
      expect(typeof message === 'string' && message.length > 0 && /^[a-z_]+$/.test(code)).toBe(true);
      if (details !== undefined)
        expect(
          details.every((d: unknown) => typeof d === 'object' && d !== null && typeof (d as { path: unknown }).path === 'string'),
        ).toBe(true);
      expect(res.text).not.toMatch(LEAKS);
    }
    expect({ where, unchanged: await snapshot() }).toEqual({ where, unchanged: before });
  }
  return res;
}

describe('any request, as any caller', () => {
  it.prop(
    {
      endpoint: arb.writeEndpoint,
      ids: fc.array(arb.idSegment, { minLength: 2, maxLength: 2 }),
      caller: fc.constantFrom<arb.Caller>(...arb.WRITERS),
      pick: fc.nat(),
      body: arb.body,
    },
    params(RUNS.bodies),
  )(
    'random bodies at every write endpoint never cause a 5xx, a leak or a change when refused',
    async ({ endpoint: [method, route], ids, caller, pick, body }) => {
      await sendAndCheck({ method, path: arb.fillPath(route, ids), auth: authHeader(caller, '', pick), body });
    },
  );

  it.prop(
    {
      endpoint: arb.endpoint,
      ids: fc.array(arb.idSegment, { minLength: 2, maxLength: 2 }),
      query: arb.queryString,
      caller: fc.constantFrom(...arb.CALLERS),
      pick: fc.nat(),
    },
    params(RUNS.urls),
  )(
    'random ids and query strings at every endpoint never cause a 5xx, a leak or a change when refused',
    async ({ endpoint: [method, route], ids, query, caller, pick }) => {
      const path = `${arb.fillPath(route, ids)}${query ? `?${query}` : ''}`;
      await sendAndCheck({ method, path, auth: authHeader(caller, 'Bearer x', pick) });
    },
  );

  it.prop(
    {
      endpoint: arb.endpoint,
      ids: fc.array(arb.idSegment, { minLength: 2, maxLength: 2 }),
      caller: fc.constantFrom(...arb.CALLERS),
      malformed: arb.authorization,
      pick: fc.nat(),
      headers: arb.extraHeaders,
    },
    params(RUNS.headers),
  )(
    'random headers and credentials at every endpoint never cause a 5xx, a leak or a change when refused',
    async ({ endpoint: [method, route], ids, caller, malformed, pick, headers }) => {
      await sendAndCheck({ method, path: arb.fillPath(route, ids), auth: authHeader(caller, malformed, pick), headers });
    },
  );
});
