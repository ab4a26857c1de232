import { createPgDb, type Db } from '../../src/db/db';
import { createTestContext, insertActors, testDatabaseUrl, type TestContext } from '../kit/context';

/*
 * PG_QUERY_TIMEOUT_MS is the server's statement_timeout: PostgreSQL itself stops a statement that runs
 * too long, so it frees the connection and the CPU instead of running on after the client gave up.
 * Only on the PostgreSQL run: the embedded database is one session in one thread (a row lock never
 * waits, and pg_sleep would stop the test process that hosts it).
 */
const onPostgres = process.env.TEST_DB_KIND === 'postgres' ? describe : describe.skip;

const QUERY_TIMEOUT_MS = 300;

onPostgres('a statement that runs longer than PG_QUERY_TIMEOUT_MS', () => {
  let db: Db;
  let ctx: TestContext;
  beforeAll(async () => {
    db = createPgDb({ url: testDatabaseUrl(), max: 1, queryTimeoutMillis: QUERY_TIMEOUT_MS });
    ctx = await createTestContext({ db });
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.reset());

  it('is stopped by the server, and the same connection answers the next query at once', async () => {
    const started = Date.now();
    await expect(db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    expect(Date.now() - started).toBeLessThan(2000);
    const next = Date.now();
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(Date.now() - next).toBeLessThan(500);
  });

  it('answers 503 database_unavailable with Retry-After, changes nothing, and the API goes on', async () => {
    const [actor] = await insertActors(ctx.db, { name: 'Locked', age: 30, gender: 'female' });
    const other = createPgDb({ url: testDatabaseUrl(), max: 1 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another client holds the row, so the PATCH waits on its lock until the statement timeout.
    const holder = other.transaction(async (tx) => {
      await tx.query('SELECT id FROM actors WHERE id = $1 FOR UPDATE', [actor!.id]);
      locked();
      await released;
    });
    try {
      await isLocked;
      const res = await ctx.api.as('director').patch(`/actors/${actor!.id}`).send({ age: 31 });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ success: false, error: 503, code: 'database_unavailable' });
    } finally {
      release();
      await holder;
      await other.close();
    }
    const [row] = await ctx.db.query<{ age: number }>('SELECT age FROM actors WHERE id = $1', [actor!.id]);
    expect(row!.age).toBe(30);
    await ctx.api.as('director').patch(`/actors/${actor!.id}`).send({ age: 31 }).expect(200);
  });
});
