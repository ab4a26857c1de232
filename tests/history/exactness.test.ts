import { createTestContext, insertActors, insertMovies, type ActorRow, type MovieRow, type TestContext } from '../kit/context';

/*
 * Exactly one history entry per committed change: none for a write that fails or rolls back, and
 * the change itself rolls back when its entry cannot be written (one transaction).
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await dropTriggers();
  await ctx.close();
});

const FAIL = `CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'forced failure in % on %', TG_OP, TG_TABLE_NAME; END $$`;
const TABLES = ['changes', 'actors', 'movie_actors'] as const;
const dropTriggers = async () => {
  for (const table of TABLES) await ctx.db.query(`DROP TRIGGER IF EXISTS test_fail ON ${table}`);
};
const failOn = async (when: string, table: (typeof TABLES)[number]) => {
  await ctx.db.query(FAIL);
  await ctx.db.query(`CREATE TRIGGER test_fail ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION test_fail()`);
};
const changes = () => ctx.db.query('SELECT id, action FROM changes ORDER BY id');
const state = async () => ({
  actors: await ctx.db.query('SELECT id, name, age, gender FROM actors ORDER BY id'),
  cast: await ctx.db.query('SELECT movie_id, actor_id, character FROM movie_actors ORDER BY 1, 2'),
  changes: await changes(),
});

let actor: ActorRow, movie: MovieRow;
beforeEach(async () => {
  await dropTriggers();
  await ctx.reset();
  [actor] = (await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' })) as [ActorRow];
  [movie] = (await insertMovies(ctx.db, { title: 'Heat', release_date: '1995-12-15' })) as [MovieRow];
});

describe('a write that does not happen', () => {
  it.each([
    ['a PATCH with an invalid body (422)', () => ctx.api.as('director').patch(`/actors/${actor.id}`).send({ age: -1 }), 422],
    ['a PATCH of a missing actor (404)', () => ctx.api.as('director').patch('/actors/999999').send({ age: 30 }), 404],
    [
      'a PATCH whose If-Match is stale (412)',
      () => ctx.api.as('director').patch(`/actors/${actor.id}`).set('If-Match', '"stale"').send({ age: 30 }),
      412,
    ],
    ['a DELETE whose If-Match is stale (412)', () => ctx.api.as('producer').delete(`/actors/${actor.id}`).set('If-Match', '"stale"'), 412],
    ['a PUT of a missing actor (404)', () => ctx.api.as('director').put(`/movies/${movie.id}/actors/999999`), 404],
    [
      'a PUT with an invalid character (422)',
      () => ctx.api.as('director').put(`/movies/${movie.id}/actors/${actor.id}`).send({ character: '' }),
      422,
    ],
    [
      'a DELETE of a cast entry that is not there (404)',
      () => ctx.api.as('director').delete(`/movies/${movie.id}/actors/${actor.id}`),
      404,
    ],
    ['a POST without the permission (403)', () => ctx.api.as('assistant').post('/actors').send({ name: 'Ana', age: 30, gender: 'f' }), 403],
  ])('When it is %s, then nothing is recorded', async (_label, send, status) => {
    const before = await state();
    expect((await send()).status).toBe(status);
    expect(await state()).toEqual(before);
  });
});

describe('a write whose history entry cannot be written', () => {
  it.each([
    ['POST /actors', () => ctx.api.as('producer').post('/actors').send({ name: 'Ana', age: 30, gender: 'female' })],
    ['PATCH /actors/:id', () => ctx.api.as('director').patch(`/actors/${actor.id}`).send({ age: 40 })],
    ['PATCH /actors/:id with If-Match', () => ctx.api.as('director').patch(`/actors/${actor.id}`).set('If-Match', '*').send({ age: 40 })],
    ['DELETE /actors/:id', () => ctx.api.as('producer').delete(`/actors/${actor.id}`)],
    [
      'PUT /movies/:id/actors/:actorId',
      () => ctx.api.as('director').put(`/movies/${movie.id}/actors/${actor.id}`).send({ character: 'Neil' }),
    ],
  ])('When it is %s, then it answers 500 and the change is rolled back with it', async (_label, send) => {
    await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2)', [movie.id, actor.id]);
    const before = await state();
    await failOn('BEFORE INSERT', 'changes');
    const res = await send();
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ success: false, code: 'internal_error' });
    expect(await state()).toEqual(before);
  });

  it('When the change itself fails half-way (a cascade), then no entry is left', async () => {
    await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2)', [movie.id, actor.id]);
    const before = await state();
    await failOn('BEFORE DELETE', 'actors');
    expect((await ctx.api.as('producer').delete(`/actors/${actor.id}`)).status).toBe(500);
    expect(await state()).toEqual(before);
  });
});

describe('40 concurrent PATCHes of one actor', () => {
  it("When they all succeed, then there are exactly 40 entries and each one's before is the previous one's after", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ctx.api
          .as(i % 2 ? 'director' : 'producer')
          .patch(`/actors/${actor.id}`)
          .send({ age: 100 + i }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const body = (await ctx.api.as('assistant').get(`/actors/${actor.id}/history?limit=200`).expect(200)).body;
    expect(body.all_changes).toBe(40);
    const oldestFirst = [...body.history].reverse();
    expect(oldestFirst[0].before).toEqual(actor);
    for (let i = 1; i < oldestFirst.length; i += 1) expect(oldestFirst[i].before).toEqual(oldestFirst[i - 1].after);
    const [now] = await ctx.db.query('SELECT id, name, age, gender FROM actors WHERE id = $1', [actor.id]);
    expect(oldestFirst[39].after).toEqual(now);
    // Each answer's before/after is one link of the chain.
    const links = new Set(oldestFirst.map((c: { before: { age: number }; after: { age: number } }) => `${c.before.age}>${c.after.age}`));
    for (const r of results) expect(links).toContain(`${r.body.actor_before.age}>${r.body.modified_actor.age}`);
  });
});

describe('the changes table', () => {
  it('When anything tries to update or delete an entry, then the database refuses: it is append-only', async () => {
    await ctx.api.as('director').patch(`/actors/${actor.id}`).send({ age: 40 }).expect(200);
    await expect(ctx.db.query("UPDATE changes SET changed_by = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(ctx.db.query('DELETE FROM changes')).rejects.toThrow(/append-only/);
    expect(await changes()).toHaveLength(1);
  });
});
