import type { Db } from '../../src/db/db';
import { countRows, createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

/** What the lists and DELETE answers report: the counter kept by migration 003's triggers. */
const counted = async (db: Db, table: 'actors' | 'movies'): Promise<number> =>
  (await db.query<{ n: number }>('SELECT sum(n)::int AS n FROM row_counts WHERE table_name = $1', [table]))[0]!.n;

const expectInStep = async (actors: number, movies: number) => {
  expect({ actors: await counted(ctx.db, 'actors'), movies: await counted(ctx.db, 'movies') }).toEqual({ actors, movies });
  expect({ actors: await countRows(ctx.db, 'actors'), movies: await countRows(ctx.db, 'movies') }).toEqual({ actors, movies });
};

const kevin = { name: 'Kevin', age: 22, gender: 'male' };
const prestige = { title: 'The Prestige', release_date: '2006-10-20' };

describe('row counts (migration 003)', () => {
  it('start at 0 after TRUNCATE … RESTART IDENTITY CASCADE', async () => {
    await insertActors(ctx.db, kevin, kevin);
    await insertMovies(ctx.db, prestige);
    await ctx.db.query('TRUNCATE movie_actors, actors, movies RESTART IDENTITY CASCADE');
    await expectInStep(0, 0);
  });

  it('follow single inserts, a bulk INSERT … SELECT and a bulk DELETE', async () => {
    await insertActors(ctx.db, kevin);
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'A' || i, i % 100, 'f' FROM generate_series(1, 2500) i`);
    await ctx.db.query(`INSERT INTO movies (title, release_date) SELECT 'M' || i, DATE '2000-01-01' + i FROM generate_series(1, 300) i`);
    await expectInStep(2501, 300);
    await ctx.db.query('DELETE FROM actors WHERE age < 50');
    await ctx.db.query('DELETE FROM movies WHERE id > 100');
    await expectInStep(1250, 100);
  });

  it('report the count in GET /actors and GET /movies as all_actors and all_movies', async () => {
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'A' || i, 30, 'f' FROM generate_series(1, 1234) i`);
    await insertMovies(ctx.db, prestige);
    const actors = await ctx.api.as('assistant').get('/actors?limit=5');
    const movies = await ctx.api.as('assistant').get('/movies');
    expect(actors.body).toMatchObject({ all_actors: 1234, page: 1, limit: 5 });
    expect(actors.body.actors).toHaveLength(5);
    expect(movies.body).toMatchObject({ all_movies: 1, movies: [{ title: 'The Prestige' }] });
  });

  it('count nothing for a transaction that rolls back', async () => {
    await insertActors(ctx.db, kevin);
    const attempt = ctx.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO actors (name, age, gender) SELECT 'A' || i, 30, 'f' FROM generate_series(1, 10) i`);
      await tx.query('DELETE FROM actors WHERE name = $1', ['Kevin']);
      expect((await tx.query<{ n: number }>(`SELECT sum(n)::int AS n FROM row_counts WHERE table_name = 'actors'`))[0]!.n).toBe(10);
      throw new Error('roll back');
    });
    await expect(attempt).rejects.toThrow('roll back');
    await expectInStep(1, 0);
  });

  it('follow POST and DELETE through the API, and DELETE answers agree with them', async () => {
    for (const name of ['A', 'B', 'C'])
      await ctx.api
        .as('director')
        .post('/actors')
        .send({ ...kevin, name })
        .expect(201);
    const created = await ctx.api.as('producer').post('/movies').send(prestige).expect(201);
    await expectInStep(3, 1);

    const [first] = await ctx.db.query<{ id: number }>('SELECT id FROM actors ORDER BY id LIMIT 1');
    const res = await ctx.api.as('director').delete(`/actors/${first!.id}`);
    expect(res.body).toMatchObject({ number_of_actors_before: 3, number_of_actors_after: 2 });
    const movie = await ctx.api.as('producer').delete(`/movies/${created.body.created_id}`);
    expect(movie.body).toMatchObject({ number_of_movies_before: 1, number_of_movies_after: 0 });
    await ctx.api.as('director').delete(`/actors/${first!.id}`).expect(404);
    await expectInStep(2, 0);
  });

  it('stay exact under 30 concurrent creates and 10 concurrent deletes', async () => {
    const seeded = await insertActors(ctx.db, ...Array.from({ length: 10 }, (_, i) => ({ ...kevin, name: `S${i}` })));
    const creates = Array.from({ length: 30 }, (_, i) =>
      ctx.api
        .as('director')
        .post('/actors')
        .send({ ...kevin, name: `P${i}` }),
    );
    const deletes = seeded.map((a) => ctx.api.as('director').delete(`/actors/${a.id}`));
    const results = await Promise.all([...creates, ...deletes]);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(10).fill(200), ...Array(30).fill(201)]);
    for (const r of results.filter((x) => x.status === 200)) {
      expect(r.body.number_of_actors_after).toBe(r.body.number_of_actors_before - 1);
      expect(r.body.number_of_actors_before).toBeGreaterThanOrEqual(1);
      expect(r.body.number_of_actors_before).toBeLessThanOrEqual(40);
    }
    await expectInStep(30, 0);
  });

  it('serve the unfiltered totals, while a filtered list counts its matches', async () => {
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Kevin ' || i, 30, 'male' FROM generate_series(1, 3) i`);
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Diego ' || i, 40, 'male' FROM generate_series(1, 2) i`);
    // Make the counter say something count(*) would not, to see which one each list reads.
    await ctx.db.query(`UPDATE row_counts SET n = n + 100 WHERE table_name = 'actors' AND slot = 15`);
    const all = await ctx.api.as('assistant').get('/actors');
    const kevins = await ctx.api.as('assistant').get('/actors?q=kevin');
    const forties = await ctx.api.as('assistant').get('/actors?min_age=40');
    expect([all.body.all_actors, kevins.body.all_actors, forties.body.all_actors]).toEqual([105, 3, 2]);
    await ctx.db.query('SELECT row_counts_recount()');
    expect((await ctx.api.as('assistant').get('/actors')).body.all_actors).toBe(5);
  });

  it('are restored by row_counts_recount() after writes that skipped the triggers', async () => {
    await insertActors(ctx.db, kevin);
    await ctx.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE actors DISABLE TRIGGER actors_count_insert');
      await tx.query(`INSERT INTO actors (name, age, gender) VALUES ('Hidden', 1, 'f')`);
      await tx.query('ALTER TABLE actors ENABLE TRIGGER actors_count_insert');
    });
    expect(await counted(ctx.db, 'actors')).toBe(1);
    await ctx.db.query('SELECT row_counts_recount()');
    await expectInStep(2, 0);
  });
});
