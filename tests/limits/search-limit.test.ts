import { createTestContext, insertActors, type TestContext } from '../kit/context';

// A search that reads the table costs tens to hundreds of milliseconds of database time; a cached one
// or a refused one costs about what any read does. Only the first kind counts against the search limit.
const limits = (searchesPerMinute: number, readsPerMinute = 100) => ({ readsPerMinute, writesPerMinute: 100, searchesPerMinute });

describe('the search limit (RATE_LIMIT_SEARCHES_PER_MINUTE)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ config: { rateLimit: limits(2) } });
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    await ctx.reset();
    await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' }, { name: 'Alice', age: 30, gender: 'female' });
  });

  /** Each test has a caller of its own, so no counter carries over from another test. */
  const callerFor = (test: string) => `Bearer ${ctx.issuer.token('assistant', { sub: `auth0|search-${test}` })}`;
  const search = (auth: string, path: string) => ctx.api.get(path).set('Authorization', auth);

  it('when a caller runs more uncached searches than the limit, then the next answers 429 and other reads still pass', async () => {
    const auth = callerFor('over');
    expect((await search(auth, '/actors?q=kev')).status).toBe(200);
    expect((await search(auth, '/movies?q=heat')).status).toBe(200);
    const refused = await search(auth, '/actors?q=ali');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, error: 429, code: 'rate_limited', message: expect.stringContaining('searches') });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await search(auth, '/actors')).status).toBe(200);
    expect((await search(auth, '/actors/1')).status).toBe(200);
  });

  it('when a search is answered from the cache, then it is not counted', async () => {
    const auth = callerFor('cached');
    expect((await search(auth, '/actors?q=kev')).body).toMatchObject({ all_actors: 1 });
    for (let i = 0; i < 5; i += 1) expect((await search(auth, '/actors?q=kev')).status).toBe(200);
    expect((await search(auth, '/actors?q=ali')).status).toBe(200);
    expect((await search(auth, '/actors?q=vin')).status).toBe(429);
  });

  it('when a search is refused before it runs (a bad parameter), then it is not counted', async () => {
    const auth = callerFor('refused');
    for (let i = 0; i < 4; i += 1) expect((await search(auth, '/actors?q=')).status).toBe(400);
    expect((await search(auth, '/actors?q=kev')).status).toBe(200);
    expect((await search(auth, '/actors?q=ali')).status).toBe(200);
  });

  it('when the search cache is off, then every search counts', async () => {
    const uncached = await createTestContext({ db: ctx.db, config: { rateLimit: limits(2), searchCacheSize: 0 } });
    try {
      const auth = `Bearer ${uncached.issuer.token('assistant', { sub: 'auth0|search-off' })}`;
      const got: number[] = [];
      for (let i = 0; i < 3; i += 1) got.push((await uncached.api.get('/actors?q=kev').set('Authorization', auth)).status);
      expect(got).toEqual([200, 200, 429]);
    } finally {
      await uncached.issuer.close();
    }
  });
});

describe('health checks and rate limits', () => {
  it('when the read limit is spent, then /health and /ready still answer 200 while / answers 429', async () => {
    const ctx = await createTestContext({ config: { rateLimit: limits(1, 1) } });
    try {
      expect((await ctx.api.get('/')).status).toBe(200);
      expect((await ctx.api.get('/')).status).toBe(429);
      for (let i = 0; i < 5; i += 1) {
        expect((await ctx.api.get('/health')).status).toBe(200);
        expect((await ctx.api.get('/ready')).status).toBe(200);
      }
    } finally {
      await ctx.close();
    }
  });
});
