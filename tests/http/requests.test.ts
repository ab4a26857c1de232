import pino from 'pino';
import request from 'supertest';
import { createPgDb } from '../../src/db/db';
import { buildApp, countRows, createTestContext, insertActors, type TestContext, testConfig } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const expectErrorShape = (body: Record<string, unknown>, status: number, code: string) => {
  expect(body).toEqual({
    success: false,
    error: status,
    message: expect.any(String),
    code,
    ...(body.details ? { details: body.details } : {}),
  });
};

describe('public routes', () => {
  it('GET / returns home_route', async () => {
    const res = await ctx.api.get('/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, home_route: true });
  });

  it('GET /health returns ok', async () => {
    const res = await ctx.api.get('/health');
    expect(res.body).toEqual({ success: true, status: 'ok' });
  });

  it('GET /ready returns 200 when the database answers', async () => {
    expect((await ctx.api.get('/ready')).status).toBe(200);
  });

  it('GET /ready returns 503 while /health stays 200 when the database is unreachable', async () => {
    const deadDb = createPgDb({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const api = ctx.clientFor(buildApp(deadDb, ctx.issuer));
    const ready = await api.get('/ready');
    expect(ready.status).toBe(503);
    expectErrorShape(ready.body, 503, 'database_unavailable');
    expect((await api.get('/health')).status).toBe(200);
    const list = await api.as('assistant').get('/actors');
    expect(list.status).toBe(503);
    expectErrorShape(list.body, 503, 'database_unavailable');
    await deadDb.close();
  });
});

describe('unknown routes and methods', () => {
  it.each(['/nope', '/actors/1/nope', '/movies/1/2/3', '/docs/nope', '/docs/package.json'])('returns 404 JSON for GET %s', async (path) => {
    const res = await ctx.api.get(path);
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 404, 'not_found');
  });

  it.each([
    ['put', '/actors', 'GET, HEAD, POST, OPTIONS'],
    ['delete', '/actors', 'GET, HEAD, POST, OPTIONS'],
    ['post', '/actors/1', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['put', '/movies/1', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['post', '/', 'GET, HEAD, OPTIONS'],
    ['delete', '/health', 'GET, HEAD, OPTIONS'],
  ] as const)('returns 405 with Allow for %s %s', async (method, path, allow) => {
    const res = await ctx.api.as('producer')[method](path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expectErrorShape(res.body, 405, 'method_not_allowed');
  });

  it.each([
    ['put', '/actors', 'PUT is not allowed on /actors; allowed: GET, HEAD, POST, OPTIONS'],
    ['put', '/actors/', 'PUT is not allowed on /actors/; allowed: GET, HEAD, POST, OPTIONS'],
    ['post', '/actors/1', 'POST is not allowed on /actors/1; allowed: GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['post', '/docs', 'POST is not allowed on /docs; allowed: GET, HEAD, OPTIONS'],
    ['post', '/docs/swagger-ui.css', 'POST is not allowed on /docs/swagger-ui.css; allowed: GET, HEAD, OPTIONS'],
  ] as const)('names in the 405 for %s %s the path as requested', async (method, path, message) => {
    const res = await ctx.api.as('producer')[method](path);
    expect(res.status).toBe(405);
    expect(res.body.message).toBe(message);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await ctx.api.as('assistant').head('/actors');
    expect(res.status).toBe(200);
    expect(res.text).toBeUndefined();
  });
});

describe('request bodies', () => {
  const post = () => ctx.api.as('director').post('/actors');

  it('returns 400 invalid_json for malformed JSON and stores nothing', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"name": "Kevin", ');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 400, 'invalid_json');
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it('returns 413 for a body over 100 kB and stores nothing', async () => {
    const res = await post().send({ name: 'K', age: 1, gender: 'x'.repeat(101 * 1024) });
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 413, 'payload_too_large');
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it.each([
    ['text/plain', 'name=Kevin'],
    ['application/x-www-form-urlencoded', 'name=Kevin&age=22&gender=male'],
    ['application/xml', '<actor/>'],
  ])('returns 415 for a %s body', async (type, body) => {
    const res = await post().set('Content-Type', type).send(body);
    expect(res.status).toBe(415);
    expectErrorShape(res.body, 415, 'unsupported_media_type');
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it('returns 415 for a POST with no body', async () => {
    const res = await post();
    expect(res.status).toBe(415);
  });

  it('returns 415 for a PATCH that is not JSON and changes nothing', async () => {
    const [a] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const res = await ctx.api.as('director').patch(`/actors/${a!.id}`).set('Content-Type', 'text/plain').send('age=5');
    expect(res.status).toBe(415);
    expect(await ctx.db.query('SELECT age FROM actors')).toEqual([{ age: 22 }]);
  });

  it('accepts application/json with a charset and application/merge-patch+json', async () => {
    const created = await post()
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ name: 'K', age: 1, gender: 'x' }));
    expect(created.status).toBe(201);
    const patched = await ctx.api
      .as('director')
      .patch(`/actors/${created.body.created}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ age: 2 }));
    expect(patched.status).toBe(200);
  });

  it('does not read the body of a caller without the permission', async () => {
    const res = await ctx.api.as('assistant').post('/actors').set('Content-Type', 'application/json').send('{bad json');
    expect(res.status).toBe(403);
  });
});

describe('unexpected faults', () => {
  it('returns a generic 500 without SQL text or stack when a query fails', async () => {
    await ctx.db.query('ALTER TABLE actors RENAME TO actors_renamed');
    try {
      const res = await ctx.api.as('assistant').get('/actors');
      expect(res.status).toBe(500);
      expectErrorShape(res.body, 500, 'internal_error');
      expect(res.text).not.toMatch(/actors_renamed|relation|SELECT|at .*\.ts|node_modules/);
    } finally {
      await ctx.db.query('ALTER TABLE actors_renamed RENAME TO actors');
    }
  });
});

describe('X-Request-Id', () => {
  it('generates one per response', async () => {
    const a = await ctx.api.get('/');
    const b = await ctx.api.get('/nope');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('keeps the one the request carries', async () => {
    const res = await ctx.api.get('/health').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('replaces one that is too long or unsafe', async () => {
    const res = await ctx.api.get('/health').set('X-Request-Id', 'a'.repeat(300));
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('CORS', () => {
  it('allows any origin by default and answers preflights with Authorization allowed', async () => {
    const res = await ctx.api
      .options('/actors')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-headers']).toMatch(/Content-Type/);
  });

  it('narrows to CORS_ORIGINS when configured', async () => {
    const app = buildApp(ctx.db, ctx.issuer, {
      config: testConfig({ corsOrigins: ['https://good.example'] }),
      logger: pino({ level: 'silent' }),
    });
    const good = await request(app).get('/').set('Origin', 'https://good.example');
    const bad = await request(app).get('/').set('Origin', 'https://evil.example');
    expect(good.headers['access-control-allow-origin']).toBe('https://good.example');
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
  });
});
