import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createClient } from 'redis';
import { redisRateLimits, type SharedRateLimits } from '../../src/http/rate-limit-redis';
import { buildApp, createTestContext, type TestContext, testConfig } from '../kit/context';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { AUDIENCE } from '../kit/issuer';
import { spawnServer } from '../kit/server-process';
import { TcpProxy } from '../kit/tcp-proxy';
import { testDatabaseUrl } from '../kit/context';

/*
 * REDIS_URL: every process and dyno counts a caller together, in Redis (src/http/rate-limit-redis.ts).
 * Against a real Redis: TEST_REDIS_URL, or a local one that answers (tests/kit/global-setup.ts);
 * skipped only where there is none (CI sets TEST_REDIS_URL, so there it must answer).
 */
const REDIS_URL = process.env.TEST_REDIS_URL;
const withRedis = REDIS_URL ? describe : describe.skip;

const LIMITS = { rateLimit: { readsPerMinute: 3, writesPerMinute: 2, searchesPerMinute: 0 }, trustProxy: 1 };
const from = (ip: string) => ({ 'X-Forwarded-For': ip });

withRedis('rate-limit counters in Redis (REDIS_URL)', () => {
  let ctx: TestContext;
  let prefix: string;
  const opened: SharedRateLimits[] = [];
  /** What each dyno does at start: its own Redis client, the same counters. */
  const dyno = async (url = REDIS_URL!, logger = pino({ level: 'silent' })) => {
    const shared = redisRateLimits(url, logger, prefix);
    opened.push(shared);
    await shared.connected;
    return ctx.clientFor(buildApp(ctx.db, ctx.issuer, { config: testConfig(LIMITS), rateLimitStore: shared.storeFor }));
  };

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());
  beforeEach(() => {
    prefix = `casting-agency-test:${randomBytes(6).toString('hex')}:`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  it('count one caller together across dynos, reads and writes apart, with 429 + Retry-After', async () => {
    const [a, b] = await Promise.all([dyno(), dyno()]);
    const got: number[] = [];
    for (const api of [a, b, a, b]) got.push((await api.get('/').set(from('203.0.113.7'))).status);
    expect(got).toEqual([200, 200, 200, 429]);
    const limited = await a.get('/').set(from('203.0.113.7'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ success: false, error: 429, code: 'rate_limited' });
    // Another caller has a counter of its own.
    expect((await b.get('/').set(from('203.0.113.8'))).status).toBe(200);

    // Writes have their own limit: reads used up do not block them.
    const writes: number[] = [];
    for (const api of [a, b, a]) {
      writes.push((await api.as('director').post('/actors').set(from('203.0.113.7')).send({ name: 'Rl', age: 30, gender: 'f' })).status);
    }
    expect(writes).toEqual([201, 201, 429]);
  });

  it('keep the window in Redis: the counter expires with it', async () => {
    const api = await dyno();
    await api.get('/').set(from('203.0.113.9')).expect(200);
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      const [key] = await client.keys(`${prefix}reads:*`);
      expect(key).toBeDefined();
      expect(await client.get(key!)).toBe('1');
      const ttl = await client.pTTL(key!);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await client.close();
    }
  });

  it('serve requests without limits while Redis is down, log it once, and count again once it is back', async () => {
    const target = new URL(REDIS_URL!);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    try {
      const api = await dyno(proxy.urlFor(REDIS_URL!), logger);
      await api.get('/').set(from('203.0.113.10')).expect(200); // connected, counted: 1

      proxy.cut('refuse');
      const during: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const started = Date.now();
        during.push((await api.get('/').set(from('203.0.113.10'))).status);
        expect(Date.now() - started).toBeLessThan(1_000);
      }
      expect(during).toEqual([200, 200, 200, 200, 200, 200]);
      const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 40);
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.length).toBeLessThanOrEqual(2); // the client's and the limiter's, not one per request

      proxy.restore();
      const deadline = Date.now() + 10_000;
      while (!lines.some((l) => l.includes('available again')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(lines.some((l) => l.includes('available again'))).toBe(true);
      const after: number[] = [];
      for (let i = 0; i < 3; i += 1) after.push((await api.get('/').set(from('203.0.113.10'))).status);
      expect(after).toEqual([200, 200, 429]); // 1 before the outage + 2 now = the limit of 3
    } finally {
      proxy.restore();
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await proxy.close();
    }
  });
});

describe('REDIS_URL in the configuration', () => {
  it('is a redis:// or rediss:// URL, and unset means counters in each process', () => {
    expect(loadConfig({}).rateLimitRedisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@example.com:6380' }).rateLimitRedisUrl).toBe('rediss://:secret@example.com:6380');
    expect(() => loadConfig({ REDIS_URL: 'http://example.com' })).toThrow(/REDIS_URL/);
  });
});

withRedis('the server with REDIS_URL', () => {
  it('counts in Redis from its first request and closes the client on SIGTERM (exit 0)', async () => {
    const ctx = await createTestContext();
    const server = await spawnServer({
      DATABASE_URL: testDatabaseUrl(),
      ISSUER_BASE_URL: ctx.issuer.url,
      AUDIENCE,
      REDIS_URL: REDIS_URL!,
      RATE_LIMIT_PER_MINUTE: '2',
      TRUST_PROXY: '1',
      NODE_ENV: 'test',
    });
    // A caller of its own, with no counter left from an earlier run (the server uses the real prefix).
    const ip = `198.51.100.${1 + (randomBytes(1)[0]! % 250)}`;
    const caller = from(ip);
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const counters = () => client.keys(`casting-agency:rate-limit:*:ip:${ip}`);
    try {
      const stale = await counters();
      if (stale.length > 0) await client.del(stale);
      const got: number[] = [];
      for (let i = 0; i < 3; i += 1) got.push((await request(server.url).get('/').set(caller)).status);
      expect(got).toEqual([200, 200, 429]);
    } finally {
      const keys = await counters();
      if (keys.length > 0) await client.del(keys);
      await client.close();
      const { code } = await server.stop('SIGTERM');
      expect(code).toBe(0);
      await ctx.close();
    }
  });
});
