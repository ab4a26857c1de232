import { countRows, createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await dropTrigger();
  await ctx.close();
});
beforeEach(async () => {
  await dropTrigger();
  await ctx.reset();
});

// A trigger that fails the statement half-way: after the DELETE of the actor has started and
// cascaded to its cast entries, or before the UPDATE of a row.
const FAIL = `CREATE OR REPLACE FUNCTION test_fail_halfway() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'forced failure in % on %', TG_OP, TG_TABLE_NAME; END $$`;
const dropTrigger = async () => {
  await ctx.db.query('DROP TRIGGER IF EXISTS test_fail_halfway ON movie_actors');
  await ctx.db.query('DROP TRIGGER IF EXISTS test_fail_halfway ON actors');
};
const failOn = async (when: string, table: string) => {
  await ctx.db.query(FAIL);
  await ctx.db.query(`CREATE TRIGGER test_fail_halfway ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION test_fail_halfway()`);
};

async function castOfTwo() {
  const [a, b] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' }, { name: 'Diego', age: 21, gender: 'male' });
  const [m] = await insertMovies(ctx.db, { title: 'Heat', release_date: '1995-12-15' });
  await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2), ($1, $3)', [m!.id, a!.id, b!.id]);
  return { a: a!, b: b! };
}
const snapshot = async () => ({
  actors: await ctx.db.query('SELECT id, name, age, gender FROM actors ORDER BY id'),
  cast: await ctx.db.query('SELECT movie_id, actor_id FROM movie_actors ORDER BY 1, 2'),
});
const expectGeneric500 = (res: { status: number; body: Record<string, unknown>; text: string }) => {
  expect(res.status).toBe(500);
  expect(res.body).toMatchObject({ success: false, error: 500, code: 'internal_error' });
  expect(res.text).not.toMatch(/forced failure|trigger|plpgsql|DELETE|UPDATE/);
};

describe('a write that fails half-way', () => {
  it.each([
    ['without If-Match', {}],
    ['with If-Match (its own transaction)', { 'If-Match': '*' }],
  ])('DELETE /actors/:id %s rolls back the actor and its cast entries together', async (_label, headers) => {
    const { a } = await castOfTwo();
    const before = await snapshot();
    await failOn('AFTER DELETE', 'movie_actors');
    const res = await ctx.api.as('director').delete(`/actors/${a.id}`).set(headers);
    expectGeneric500(res);
    expect(await snapshot()).toEqual(before);
  });

  it('PATCH /actors/:id with If-Match rolls back and leaves the pool usable', async () => {
    const { a } = await castOfTwo();
    const before = await snapshot();
    await failOn('BEFORE UPDATE', 'actors');
    expectGeneric500(await ctx.api.as('director').patch(`/actors/${a.id}`).set('If-Match', '*').send({ age: 40 }));
    expect(await snapshot()).toEqual(before);
    await dropTrigger();
    for (let i = 0; i < 12; i += 1) {
      // More requests than the pool has connections: none was left inside an open transaction.
      expect((await ctx.api.as('director').patch(`/actors/${a.id}`).set('If-Match', '*').send({ age: i })).status).toBe(200);
    }
  });
});

describe('db.transaction', () => {
  it('rolls back every statement when the function throws between two of them', async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query("INSERT INTO actors (name, age, gender) VALUES ('One', 1, 'f')");
        throw new Error('between the two statements');
      }),
    ).rejects.toThrow('between the two statements');
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  // The embedded database serves every connection from one session: a second connection waits for the transaction.
  const onPostgres = process.env.TEST_DB_KIND === 'postgres' ? it : it.skip;
  onPostgres('runs only what goes through tx in the transaction: a statement on the pool meanwhile is not rolled back', async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query("INSERT INTO actors (name, age, gender) VALUES ('One', 1, 'f')");
        await ctx.db.query("INSERT INTO actors (name, age, gender) VALUES ('Two', 2, 'f')");
        expect((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM actors'))[0]!.n).toBe(2);
        throw new Error('after both');
      }),
    ).rejects.toThrow('after both');
    expect(await countRows(ctx.db, 'actors')).toBe(1);
  });

  it('refuses a statement sent through tx after the transaction has ended', async () => {
    let kept: { query: (sql: string) => Promise<unknown> } | undefined;
    await ctx.db.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.query('SELECT 1')).rejects.toThrow('the transaction has ended');
  });
});
