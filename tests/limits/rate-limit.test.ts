import { MemoryStore, type Options, type Store } from 'express-rate-limit';
import { loadConfig } from '../../src/config';
import { countRows, createTestContext, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ config: { rateLimit: { readsPerMinute: 3, writesPerMinute: 2, searchesPerMinute: 0 }, trustProxy: 1 } });
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

/** Heroku's router appends the client address; with `trustProxy` 1 that is the caller's IP. */
const from = (ip: string) => ({ 'X-Forwarded-For': ip });
const statuses = async (n: number, send: () => PromiseLike<{ status: number }>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((await send()).status);
  return out;
};
const actor = { name: 'Kevin', age: 22, gender: 'male' };

describe('rate limits', () => {
  it('answers 429 with Retry-After and our error body past the read limit', async () => {
    expect(await statuses(3, () => ctx.api.get('/').set(from('203.0.113.1')))).toEqual([200, 200, 200]);
    const res = await ctx.api.get('/').set(from('203.0.113.1'));
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ success: false, error: 429, code: 'rate_limited', message: expect.stringContaining('at most 3 a minute') });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(res.headers['ratelimit-policy']).toContain('q=3; w=60');
  });

  it('counts a token subject once wherever it comes from, and apart from its address', async () => {
    const assistant = () => ctx.api.as('assistant').get('/actors');
    expect(await statuses(2, () => assistant().set(from('203.0.113.2')))).toEqual([200, 200]);
    expect(await statuses(2, () => assistant().set(from('198.51.100.7')))).toEqual([200, 429]);
    // Another user on the same address has a counter of its own, and so has the address itself.
    expect((await ctx.api.as('director').get('/actors').set(from('203.0.113.2'))).status).toBe(200);
    expect((await ctx.api.get('/').set(from('203.0.113.2'))).status).toBe(200);
  });

  it('counts requests with invalid tokens by address, so forged tokens cannot dodge the limit', async () => {
    const forged = Object.values(ctx.issuer.forgeries('producer'));
    const got = await statuses(4, () => ctx.api.get('/actors').set('Authorization', `Bearer ${forged.pop()}`).set(from('203.0.113.3')));
    expect(got).toEqual([401, 401, 401, 429]);
  });

  it('groups IPv6 addresses by /56, so one host cannot rotate through its addresses', async () => {
    let host = 0;
    const got = await statuses(4, () => ctx.api.get('/').set(from(`2001:db8:0:1::${(host += 1)}`)));
    expect(got).toEqual([200, 200, 200, 429]);
    expect((await ctx.api.get('/').set(from('2001:db8:0:100::1'))).status).toBe(200);
  });

  it('limits writes apart from reads, and a refused write changes nothing', async () => {
    const post = () => ctx.api.as('director').post('/actors').set(from('203.0.113.4')).send(actor);
    expect(await statuses(3, post)).toEqual([201, 201, 429]);
    expect(await countRows(ctx.db, 'actors')).toBe(2);
    // The same caller can still read: its read counter is untouched by writes.
    const read = await ctx.api.as('director').get('/actors');
    expect(read.status).toBe(200);
  });
});

describe('rate limit configuration', () => {
  it('is off (no RateLimit headers, no 429) when both limits are 0', async () => {
    const off = await createTestContext({ config: { rateLimit: { readsPerMinute: 0, writesPerMinute: 0, searchesPerMinute: 0 } } });
    try {
      expect(await statuses(6, () => off.api.get('/'))).toEqual(Array(6).fill(200));
      expect((await off.api.get('/')).headers.ratelimit).toBeUndefined();
    } finally {
      await off.close();
    }
  });

  it('reads RATE_LIMIT_PER_MINUTE and RATE_LIMIT_WRITES_PER_MINUTE, with defaults, and names a bad value', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '7' }).rateLimit).toEqual({
      readsPerMinute: 0,
      writesPerMinute: 7,
      searchesPerMinute: 30,
    });
    expect(loadConfig({}).rateLimit).toEqual({ readsPerMinute: 300, writesPerMinute: 60, searchesPerMinute: 30 });
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_WRITES_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_WRITES_PER_MINUTE/);
  });
});

describe('rate limit counters shared across processes', () => {
  /** What a Redis store is to each dyno: its own client object, counters kept in one place. */
  const clientOf = (server: MemoryStore): Store => ({
    increment: (key) => server.increment(key),
    decrement: (key) => server.decrement(key),
    resetKey: (key) => server.resetKey(key),
    get: (key) => server.get(key),
  });

  it('count together in every app (dyno) given stores that share their counters', async () => {
    const servers = { reads: new MemoryStore(), writes: new MemoryStore(), searches: new MemoryStore() };
    Object.values(servers).forEach((s) => s.init({ windowMs: 60_000 } as Options));
    const limits = { rateLimit: { readsPerMinute: 3, writesPerMinute: 1, searchesPerMinute: 0 }, trustProxy: 1 };
    const dynos = await Promise.all(
      [1, 2].map(() => createTestContext({ config: limits, rateLimitStore: (kind) => clientOf(servers[kind]) })),
    );
    try {
      const got = [];
      for (const dyno of [0, 1, 0, 1]) got.push((await dynos[dyno]!.api.get('/').set(from('203.0.113.9'))).status);
      expect(got).toEqual([200, 200, 200, 429]);
    } finally {
      await Promise.all(dynos.map((d) => d.close()));
      Object.values(servers).forEach((s) => s.shutdown());
    }
  });

  it('lets requests through (200, not 500) while the shared store is down', async () => {
    const down: Store = {
      increment: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
      decrement: () => Promise.resolve(),
      resetKey: () => Promise.resolve(),
    };
    const dyno = await createTestContext({
      config: { rateLimit: { readsPerMinute: 1, writesPerMinute: 1, searchesPerMinute: 0 } },
      rateLimitStore: () => ({ ...down }),
    });
    try {
      expect(await statuses(3, () => dyno.api.get('/'))).toEqual([200, 200, 200]);
    } finally {
      await dyno.close();
    }
  });
});
