import pino from 'pino';
import { createApp } from '../../src/app';
import { createPgDb, type Db } from '../../src/db/db';
import { createTestContext, type TestContext, testDeps, issuerAuth } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The real app logging into an array, one parsed JSON line per entry. */
function loggedApp(db: Db = ctx.db) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const app = createApp({
    ...testDeps(),
    db,
    auth: issuerAuth(ctx.issuer.url),
    logger,
  });
  return { api: ctx.clientFor(app), lines };
}

describe('access log', () => {
  it('writes one line per request with its id, method, url, status, time and the caller’s sub', async () => {
    const { api, lines } = loggedApp();
    const res = await api.as('assistant').get('/actors?limit=1').set('X-Request-Id', 'req-42');
    expect(res.status).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id: 'req-42', method: 'GET', url: '/actors?limit=1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        sub: 'auth0|test-assistant',
      }),
    ]);
  });

  it('logs a refused request without a sub and without the token', async () => {
    const { api, lines } = loggedApp();
    const forged = ctx.issuer.forgeries('assistant')['signed by another key']!;
    await api.get('/actors').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ res: { statusCode: 401 } });
    expect(lines[0]!.sub).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain(forged.split('.')[2]);
  });

  it('logs a failed request twice: the error with the request it belongs to, then the access line', async () => {
    // A database nobody listens on: the list fails with 503 and the error handler logs why.
    const unreachable = createPgDb({ url: 'postgres://postgres@127.0.0.1:1/none', max: 1, connectionTimeoutMillis: 500 });
    const { api, lines } = loggedApp(unreachable);
    const res = await api.as('assistant').get('/actors').set('X-Request-Id', 'req-503');
    await unreachable.close();
    expect(res.status).toBe(503);
    expect(lines.map((l) => l.msg)).toEqual(['request failed', 'request errored']);
    expect(lines[0]).toMatchObject({ level: 50, req: { id: 'req-503', method: 'GET', url: '/actors' }, err: expect.any(Object) });
    expect(lines[1]).toMatchObject({ req: { id: 'req-503' }, res: { statusCode: 503 }, sub: 'auth0|test-assistant' });
  });
});
