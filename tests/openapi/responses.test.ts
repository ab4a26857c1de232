import type { Store } from 'express-rate-limit';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createPgDb } from '../../src/db/db';
import { seed } from '../../src/db/migrate';
import { buildOpenApiDocument } from '../../src/openapi/document';
import { buildApp, createTestContext, developmentDeps, type TestContext, testDeps, issuerAuth } from '../kit/context';
import { createDocumentChecker, type Answer } from '../kit/openapi-check';
import { concretePath, documentedOperations, type DocumentedOperation } from '../kit/operations';

/*
 * Real answers, one per documented (operation, status), checked against the document: the status
 * is documented for that operation and the body validates against its schema. Every test file's
 * answers are also checked the same way through createTestContext.
 */
const doc = buildOpenApiDocument();
const check = createDocumentChecker(doc);
const operations = documentedOperations(doc);

let ctx: TestContext;
/** A server with no issuer, the only kind that answers POST /app/dev-token (the others answer it 404). */
let development: ReturnType<typeof request>;
/** An app whose rate-limit store says every caller is over the limit: each request is a 429. */
let limited: TestContext;
const overLimit = (): Store => ({
  increment: () => Promise.resolve({ totalHits: Number.MAX_SAFE_INTEGER, resetTime: new Date(Date.now() + 60_000) }),
  decrement: () => Promise.resolve(),
  resetKey: () => Promise.resolve(),
});
beforeAll(async () => {
  ctx = await createTestContext();
  development = request(buildApp(ctx.db, ctx.issuer, developmentDeps()));
  limited = await createTestContext({
    db: ctx.db,
    config: { rateLimit: { readsPerMinute: 1, writesPerMinute: 1, searchesPerMinute: 0 } },
    rateLimitStore: overLimit,
  });
});
afterAll(async () => {
  await limited.issuer.close();
  await ctx.close();
});

type Res = { status: number; headers: Record<string, string>; text: string };
type Options = {
  path?: string;
  token?: string | null;
  body?: string;
  type?: string;
  ifMatch?: string;
  ifNoneMatch?: string;
  limited?: boolean;
};
type Send = (op: DocumentedOperation, options: Options) => Promise<Res>;

const sender =
  (agent: ReturnType<typeof request>): Send =>
  async (op, { path = concretePath(op.template), token = ctx.auth.producer, body, type = 'application/json', ifMatch, ifNoneMatch }) => {
    let req = agent[op.method](path);
    if (token) req = req.set('Authorization', token);
    if (ifMatch) req = req.set('If-Match', ifMatch);
    if (ifNoneMatch) req = req.set('If-None-Match', ifNoneMatch);
    if (body !== undefined) req = req.set('Content-Type', type).send(body);
    return req;
  };

const answerOf = (op: DocumentedOperation, path: string, res: Res): Answer => ({
  method: op.method.toUpperCase(),
  path,
  status: res.status,
  contentType: res.headers['content-type'] ?? '',
  body: res.text,
});

/** How to make each status happen; `undefined` when this operation cannot give it on demand. */
function recipe(op: DocumentedOperation, status: number): Options | undefined {
  const example = op.bodyExample === undefined ? undefined : JSON.stringify(op.bodyExample);
  if (status === 304) return { ifNoneMatch: '*' };
  if (status < 400) return { body: example };
  const byStatus: Record<number, Options | undefined> = {
    400:
      op.queryParameters.length > 0
        ? { path: `${concretePath(op.template)}?limit=0` }
        : example
          ? { body: '{"broken' }
          : op.permissions.length > 0
            ? { token: 'Basic abc' }
            : { path: `${concretePath(op.template)}?access_token=x` },
    401: { token: null, body: example },
    403: { token: `Bearer ${ctx.issuer.token('producer', { permissions: [] })}`, body: example },
    404: { path: concretePath(op.template, 999999), body: example },
    413: { body: JSON.stringify({ name: 'x'.repeat(110_000) }) },
    415: { body: 'name=Kevin', type: 'text/plain' },
    422: { body: '{"not_a_field": 1}' },
    412: { body: example, ifMatch: '"stale"' },
    429: { body: example, limited: true },
  };
  return byStatus[status];
}

/** The `code` of the example of the operation's 503 answer, if it has one. */
function unavailableCode(op: DocumentedOperation): string | undefined {
  const item = doc.paths?.[op.template] as Record<
    string,
    { responses: Record<string, { content?: Record<string, { example?: { code?: string } }> }> }
  >;
  // HEAD's answers have no body: its GET's say the same.
  return item[op.method === 'head' ? 'get' : op.method]!.responses['503']?.content?.['application/json']?.example?.code;
}

type Header = { required?: boolean; $ref?: string };
/** The response headers the document says always come with this answer, lower-cased as Node hands them over. */
function requiredHeaders(op: DocumentedOperation, status: number): string[] {
  const item = doc.paths?.[op.template] as Record<string, { responses: Record<string, { headers?: Record<string, Header> }> }>;
  const headers = item[op.method]!.responses[String(status)]!.headers ?? {};
  const resolve = (h: Header): Header => (h.$ref ? (doc.components?.headers?.[h.$ref.split('/').pop()!] as Header) : h);
  return Object.entries(headers)
    .filter(([, header]) => resolve(header).required)
    .map(([name]) => name.toLowerCase());
}

const cases = operations.flatMap((op) => op.statuses.filter((s) => s < 500).map((status) => [op.name, status, op] as const));

describe.each(cases)('%s → %i', (_name, status, op) => {
  it('happens and matches the document', async () => {
    await ctx.reset();
    await seed(ctx.db);
    // 200 (rather than 201) on PUT, and 200 on DELETE, of a cast entry: actor 1 is in movie 1 already.
    if (status === 200 && op.template.endsWith('{actorId}'))
      await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES (1, 1)');
    const how = recipe(op, status);
    expect(how).toBeDefined();
    const path = how!.path ?? concretePath(op.template);
    const agent = how!.limited ? limited.api : op.template === '/app/dev-token' && status !== 404 ? development : ctx.api;
    const res = await sender(agent)(op, how!);
    expect(res.status).toBe(status);
    expect(check(answerOf(op, path.split('?')[0]!, res))).toEqual([]);
    expect(Object.keys(res.headers)).toEqual(expect.arrayContaining(requiredHeaders(op, status)));
  });
});

describe('when the database is down', () => {
  const db = createPgDb({ url: 'postgres://postgres@127.0.0.1:1/none', max: 1, connectionTimeoutMillis: 500 });
  afterAll(() => db.close());
  // The operations whose 503 is the database's (not the issuer's alone, or a missing web build).
  const database = operations.filter((o) => unavailableCode(o) === 'database_unavailable');

  it.each(database.map((o) => [o.name, o]))('%s answers 503 as documented', async (_name, op) => {
    const app = createApp({
      ...testDeps(),
      db,
      auth: issuerAuth(ctx.issuer.url),
      logger: pino({ level: 'silent' }),
    });
    const example = op.bodyExample === undefined ? undefined : JSON.stringify(op.bodyExample);
    const res = await sender(request(app))(op, { body: example });
    expect(res.status).toBe(503);
    // Clients of the API are told when to retry; /ready's caller is a load balancer with its own period.
    if (op.permissions.length > 0) expect(res.headers['retry-after']).toBe('5');
    expect(check(answerOf(op, concretePath(op.template), res))).toEqual([]);
  });
});

describe('on an unexpected database fault', () => {
  // OPTIONS is answered before the database is reached; HEAD fails as its GET does, without the body.
  const faulty = operations.filter((o) => (o.template.startsWith('/actors') || o.template.startsWith('/movies')) && o.method !== 'options');

  it.each(faulty.map((o) => [o.name, o]))('%s answers 500 as documented, with no SQL in the body', async (_name, op) => {
    await ctx.reset();
    await seed(ctx.db);
    await ctx.db.query('ALTER TABLE actors RENAME TO actors_away');
    await ctx.db.query('ALTER TABLE movies RENAME TO movies_away');
    try {
      const example = op.bodyExample === undefined ? undefined : JSON.stringify(op.bodyExample);
      const res = await sender(ctx.api)(op, { body: example });
      expect(res.status).toBe(500);
      expect(res.text ?? '').not.toMatch(/relation|select|actors_away/i);
      expect(check(answerOf(op, concretePath(op.template), res))).toEqual([]);
    } finally {
      await ctx.db.query('ALTER TABLE actors_away RENAME TO actors');
      await ctx.db.query('ALTER TABLE movies_away RENAME TO movies');
    }
  });
});

describe('the document checker', () => {
  const actor = { id: 1, name: 'Kevin', age: 22, gender: 'male', movies: [] };
  const json = (method: string, path: string, status: number, body: unknown): Answer => ({
    method,
    path,
    status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(body),
  });
  const notFound = { success: false, error: 404, message: 'No route', code: 'not_found' };

  it('accepts an answer that matches its operation', () => {
    expect(check(json('GET', '/actors/1', 200, { success: true, actor }))).toEqual([]);
  });

  it.each([
    ['a missing field', json('GET', '/actors/1', 200, { success: true, actor: { ...actor, age: undefined } })],
    ['an undocumented field', json('GET', '/actors/1', 200, { success: true, actor: { ...actor, nickname: 'K' } })],
    ['a wrong type', json('GET', '/actors', 200, { success: true, actors: [], all_actors: '0', page: 1, limit: 50 })],
    ['an undocumented status', json('GET', '/actors', 409, { ...notFound, error: 409, code: 'conflict' })],
    ['an undocumented route', json('GET', '/cast', 200, { success: true })],
    ['an error whose error is not the status', json('GET', '/actors/1', 404, { ...notFound, error: 400 })],
    ['an unknown error code', json('GET', '/actors/1', 404, { ...notFound, code: 'nope' })],
    ['a body that is not JSON', { ...json('GET', '/actors/1', 404, notFound), body: 'Not Found' }],
  ])('reports %s', (_label, answer) => {
    expect(check(answer)).toHaveLength(1);
  });

  it('accepts 404 and 405 errors on paths and methods the document does not list', () => {
    expect(check(json('GET', '/nowhere', 404, notFound))).toEqual([]);
    expect(check(json('PUT', '/actors', 405, { ...notFound, error: 405, code: 'method_not_allowed' }))).toEqual([]);
  });
});
