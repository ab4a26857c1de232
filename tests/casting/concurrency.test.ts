import type { Response } from 'supertest';
import { countRows, createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const ORPHANS = `
  SELECT count(*)::int AS n FROM movie_actors ma
  WHERE NOT EXISTS (SELECT 1 FROM movies m WHERE m.id = ma.movie_id) OR NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = ma.actor_id)`;
const orphans = async () => (await ctx.db.query<{ n: number }>(ORPHANS))[0]!.n;

/**
 * On the server, waits until some other session is blocked on a row lock. The embedded database
 * runs one session at a time, so there the request simply waits for the transaction to end.
 */
async function untilAnotherSessionWaitsForALock(): Promise<void> {
  if (process.env.TEST_DB_KIND !== 'postgres') return;
  for (;;) {
    const [row] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (row!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('casting under concurrency', () => {
  it('20 simultaneous PUTs of one actor end with one cast row, one 201 and nineteen 200', async () => {
    const [actor] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const [movie] = await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ctx.api.as(i % 2 ? 'director' : 'producer').put(`/movies/${movie!.id}/actors/${actor!.id}`)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(await countRows(ctx.db, 'movie_actors')).toBe(1);
  });

  it.each([
    ['movie', 'DELETE FROM movies WHERE id = $1', 'Movie'],
    ['actor', 'DELETE FROM actors WHERE id = $1', 'Actor'],
  ] as const)('a PUT racing the delete of its %s answers 404 naming it, not 500', async (what, deleteSql, label) => {
    const [actor] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const [movie] = await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' });
    const deletedId = what === 'movie' ? movie!.id : actor!.id;
    let put: Promise<Response> | undefined;
    // The PUT reads the row the open transaction is deleting, then its foreign-key check waits for
    // that transaction; the commit turns the check into a foreign-key violation (23503).
    await ctx.db.transaction(async (tx) => {
      await tx.query(deleteSql, [deletedId]);
      put = ctx.api
        .as('director')
        .put(`/movies/${movie!.id}/actors/${actor!.id}`)
        .then((r) => r);
      await untilAnotherSessionWaitsForALock();
    });
    const res = await put!;
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: `${label} ${deletedId} not found` });
    expect(await countRows(ctx.db, 'movie_actors')).toBe(0);
  });

  it('casting many actors while the movie is deleted never answers 500 and leaves no orphan', async () => {
    const actors = await insertActors(ctx.db, ...Array.from({ length: 15 }, (_, i) => ({ name: `A${i}`, age: 30, gender: 'female' })));
    const [movie] = await insertMovies(ctx.db, { title: 'Doomed', release_date: '2020-01-01' });
    const puts = actors.map((a) =>
      ctx.api
        .as('director')
        .put(`/movies/${movie!.id}/actors/${a.id}`)
        .then((r) => r),
    );
    const removal = ctx.api
      .as('producer')
      .delete(`/movies/${movie!.id}`)
      .then((r) => r);
    const results = await Promise.all([...puts, removal]);
    expect((await removal).status).toBe(200);
    for (const r of results.slice(0, -1)) expect([201, 404]).toContain(r.status);
    expect(await countRows(ctx.db, 'movie_actors')).toBe(0);
    expect(await orphans()).toBe(0);
  });
});
