import { loadConfig } from '../../src/config';
import { createTestContext, type TestContext } from '../kit/context';

/*
 * The original API had no rate limits; this one counts each caller's reads and writes a minute
 * (docs/migrating-from-the-original.md). A script that creates rows in a loop meets the write limit.
 */
let ctx: TestContext;
beforeAll(async () => {
  // The limits a server has when RATE_LIMIT_* are not set.
  ctx = await createTestContext({ config: { rateLimit: loadConfig({}).rateLimit } });
  await ctx.reset();
});
afterAll(() => ctx.close());

describe('the default write limit', () => {
  it('answers the 61st write of a minute with 429 rate_limited and Retry-After, having made the first 60', async () => {
    const director = ctx.api.as('director');
    // A read first: the issuer's keys are fetched, so every write below is counted by the token's
    // subject (a request that waits for the keys past 200 ms is counted by its address instead).
    await director.get('/actors?limit=1').expect(200);
    for (let i = 1; i <= 60; i++) {
      const res = await director.post('/actors').send({ name: `Actor ${i}`, age: 30, gender: 'female' });
      expect(res.status).toBe(201);
    }
    const refused = await director.post('/actors').send({ name: 'Actor 61', age: 30, gender: 'female' });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

    // Reads are counted apart: the same caller still reads.
    const read = await director.get('/actors?limit=1');
    expect(read.status).toBe(200);
    expect(read.body.all_actors).toBe(60);
  });
});
