import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createTestContext, testDatabaseUrl, type TestContext } from '../kit/context';
import { AUDIENCE } from '../kit/issuer';
import { spawnServer } from '../kit/server-process';

// `X-Forwarded-For` names the client only when a proxy we trust wrote it; otherwise anyone can name any address.
const READS = { readsPerMinute: 3, writesPerMinute: 0, searchesPerMinute: 0 };
const statusesOf = async (send: (i: number) => PromiseLike<{ status: number }>, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((await send(i)).status);
  return out;
};

describe('TRUST_PROXY', () => {
  let contexts: TestContext[] = [];
  const contextTrusting = async (trustProxy: number) => {
    const ctx = await createTestContext({ config: { rateLimit: READS, trustProxy } });
    contexts.push(ctx);
    return ctx;
  };
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });

  it('when no proxy is trusted, then a varying X-Forwarded-For does not dodge the limit', async () => {
    const ctx = await contextTrusting(0);
    const got = await statusesOf((i) => ctx.api.get('/').set('X-Forwarded-For', `203.0.113.${i + 1}`), 4);
    expect(got).toEqual([200, 200, 200, 429]);
  });

  it('when one hop is trusted (Heroku), then the rightmost entry is the caller, whatever comes before it', async () => {
    const ctx = await contextTrusting(1);
    const got = await statusesOf((i) => ctx.api.get('/').set('X-Forwarded-For', `10.0.0.${i + 1}, 198.51.100.20`), 4);
    expect(got).toEqual([200, 200, 200, 429]);
    expect((await ctx.api.get('/').set('X-Forwarded-For', '198.51.100.21')).status).toBe(200);
  });

  it('when two hops are trusted (a CDN in front of Heroku), then the second entry from the right is the caller', async () => {
    const ctx = await contextTrusting(2);
    const via = (client: string, cdn: string) => ctx.api.get('/').set('X-Forwarded-For', `${client}, ${cdn}`);
    expect(await statusesOf((i) => via('198.51.100.30', `192.0.2.${i + 1}`), 4)).toEqual([200, 200, 200, 429]);
    expect((await via('198.51.100.31', '192.0.2.1')).status).toBe(200);
  });

  it('defaults to one hop on Heroku (DYNO set) and none elsewhere; 0 and false trust none', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ DYNO: 'web.1' }).trustProxy).toBe(1);
    expect(loadConfig({ DYNO: 'web.1', TRUST_PROXY: 'false' }).trustProxy).toBe(0);
    expect(loadConfig({ DYNO: 'web.1', TRUST_PROXY: '0' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'FALSE' }).trustProxy).toBe(0);
  });

  it.each(['true', '-1', 'one', '1.5', '100'])('stops with a message naming TRUST_PROXY=%s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('when the real server runs with nothing in front, then it ignores X-Forwarded-For', async () => {
    const ctx = await createTestContext();
    const server = await spawnServer({
      DATABASE_URL: testDatabaseUrl(),
      ISSUER_BASE_URL: ctx.issuer.url,
      AUDIENCE,
      RATE_LIMIT_PER_MINUTE: '2',
      NODE_ENV: 'test',
    });
    try {
      const got = await statusesOf(
        (i) =>
          request(server.url)
            .get('/')
            .set('X-Forwarded-For', `203.0.113.${100 + i}`),
        3,
      );
      expect(got).toEqual([200, 200, 429]);
    } finally {
      await server.stop('SIGTERM');
      await ctx.close();
    }
  });
});
