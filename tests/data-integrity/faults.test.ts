import { createPgDb, type Db } from '../../src/db/db';
import { createTestContext, testDatabaseUrl, type TestContext } from '../kit/context';
import { TcpProxy } from '../kit/tcp-proxy';

/** The pool's timeouts in this file: a request must fail within about these, never hang. */
const CONNECT_TIMEOUT_MS = 1000;
const QUERY_TIMEOUT_MS = 1000;
/** A generous ceiling (the worst case is a connect timeout followed by a query timeout, plus scheduling). */
const NO_HANG_MS = CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 2000;

let proxy: TcpProxy;
let ctx: TestContext;
let direct: Db;

beforeAll(async () => {
  const target = new URL(testDatabaseUrl());
  proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  const db = createPgDb({
    url: proxy.urlFor(testDatabaseUrl()),
    max: 5,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    queryTimeoutMillis: QUERY_TIMEOUT_MS,
  });
  ctx = await createTestContext({ db });
  direct = createPgDb({ url: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  proxy.restore();
  await ctx.close();
  await direct.close();
  await proxy.close();
});
beforeEach(async () => {
  proxy.restore();
  await ctx.reset();
});

const actor = (i: number) => ({ name: `Fault ${i}`, age: 30, gender: 'female' });

/** Every kind of request the API serves, against an existing actor `id`. */
const everyKind = (id: number) => ({
  list: () => ctx.api.as('producer').get('/actors'),
  show: () => ctx.api.as('producer').get(`/actors/${id}`),
  create: () => ctx.api.as('producer').post('/actors').send(actor(99)),
  update: () => ctx.api.as('producer').patch(`/actors/${id}`).send({ age: 31 }),
  conditionalUpdate: () => ctx.api.as('producer').patch(`/actors/${id}`).set('If-Match', '*').send({ age: 32 }),
  remove: () => ctx.api.as('producer').delete(`/actors/${id}`),
  ready: () => ctx.api.get('/ready'),
});

async function timed(send: () => PromiseLike<{ status: number; body: { code?: string }; headers: Record<string, string> }>) {
  const started = Date.now();
  const res = await send();
  return { res, ms: Date.now() - started };
}

describe.each(['refuse', 'hang'] as const)('when the database connection is cut (%s)', (mode) => {
  it('answers 503 database_unavailable without hanging, keeps /health at 200, and recovers on restore', async () => {
    const { id } = (await ctx.api.as('producer').post('/actors').send(actor(1)).expect(201)).body.new_actor;
    await ctx.api.as('producer').get('/actors').expect(200); // the pool holds open connections now

    proxy.cut(mode);
    const results = await Promise.all(Object.entries(everyKind(id)).map(async ([name, send]) => ({ name, ...(await timed(send)) })));
    for (const { name, res, ms } of results) {
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 503, code: 'database_unavailable' });
      if (name !== 'ready') expect(res.headers['retry-after']).toBe('5');
      expect(ms).toBeLessThan(NO_HANG_MS);
    }
    expect((await ctx.api.get('/health')).status).toBe(200);

    proxy.restore();
    const again = everyKind(id);
    expect((await again.ready()).status).toBe(200);
    expect((await again.show()).body.actor).toMatchObject({ id, ...actor(1) });
    expect((await again.update()).status).toBe(200);
    expect((await again.create()).status).toBe(201);
    expect((await again.remove()).status).toBe(200);
  });
});

describe('writes across repeated outages', () => {
  it('loses no write that was answered 2xx', async () => {
    const created: number[] = [];
    const statuses: number[] = [];
    let running = true;
    const writer = async (w: number) => {
      for (let i = 0; running; i += 1) {
        const res = await ctx.api
          .as('producer')
          .post('/actors')
          .send(actor(w * 10_000 + i));
        statuses.push(res.status);
        if (res.status === 201) created.push(res.body.created);
        else expect(res.body.code).toBe('database_unavailable');
      }
    };
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const writers = [1, 2, 3].map(writer);
    await pause(300);
    proxy.cut('refuse');
    await pause(700);
    proxy.restore();
    await pause(300);
    proxy.cut('hang');
    await pause(1500);
    proxy.restore();
    await pause(500);
    running = false;
    await Promise.all(writers);

    expect(statuses).toContain(503);
    expect(created.length).toBeGreaterThan(10);
    const stored = await direct.query<{ id: number }>('SELECT id FROM actors WHERE id = ANY($1::int[])', [created]);
    expect(stored.map((r) => r.id).sort((a, b) => a - b)).toEqual([...created].sort((a, b) => a - b));
  });
});
