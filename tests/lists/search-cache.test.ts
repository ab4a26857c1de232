import type { Db } from '../../src/db/db';
import { searchCache } from '../../src/db/list-cache';
import { buildApp, createTestContext, insertActors, insertMovies, resetTables, type TestContext, testSearchCache } from '../kit/context';

/*
 * Search results (lists with `q`) are kept in memory with their table's version (migration 004) and
 * served again only while that version is unchanged. These tests hold it to that: every kind of change
 * shows at once, and a repeated search costs one small read instead of the search.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

/** The real database, with every statement the app sends written down. */
function recording(db: Db): { db: Db; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    db: {
      query: (sql, params) => {
        statements.push(sql);
        return db.query(sql, params);
      },
      transaction: (fn) => db.transaction(fn),
      close: async () => undefined,
    },
  };
}
const searches = (statements: string[]) => statements.filter((s) => s.includes('ILIKE')).length;

const names = async (path: string) => {
  const res = await ctx.api.as('assistant').get(path).expect(200);
  return { names: res.body.actors.map((a: { name: string }) => a.name), total: res.body.all_actors };
};

describe('a search answer', () => {
  it('shows every change to the table at once, whoever makes it', async () => {
    const [ann] = await insertActors(ctx.db, { name: 'Ann Lee', age: 30, gender: 'female' }, { name: 'Bob', age: 40, gender: 'male' });
    const search = '/actors?q=ann';
    expect(await names(search)).toEqual({ names: ['Ann Lee'], total: 1 });
    expect(await names(search)).toEqual({ names: ['Ann Lee'], total: 1 });

    const created = await ctx.api.as('director').post('/actors').send({ name: 'Joanna', age: 25, gender: 'female' }).expect(201);
    expect(await names(search)).toEqual({ names: ['Ann Lee', 'Joanna'], total: 2 });

    await ctx.api.as('director').patch(`/actors/${ann!.id}`).send({ name: 'Anne Lee' }).expect(200);
    expect(await names(search)).toEqual({ names: ['Anne Lee', 'Joanna'], total: 2 });

    // Another writer, not through this process: its UPDATE moves the version too.
    await ctx.db.query(`UPDATE actors SET name = 'Bobby Vann' WHERE name = 'Bob'`);
    expect(await names(search)).toEqual({ names: ['Anne Lee', 'Bobby Vann', 'Joanna'], total: 3 });

    await ctx.api.as('director').delete(`/actors/${created.body.created}`).expect(200);
    expect(await names(search)).toEqual({ names: ['Anne Lee', 'Bobby Vann'], total: 2 });

    await ctx.db.query('DELETE FROM actors WHERE age > 35');
    expect(await names(search)).toEqual({ names: ['Anne Lee'], total: 1 });

    await resetTables(ctx.db);
    await insertActors(ctx.db, { name: 'Hannah', age: 30, gender: 'female' });
    expect(await names(search)).toEqual({ names: ['Hannah'], total: 1 });

    // Writes that skip the triggers are caught up by the recount, which moves the version as well.
    await ctx.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`INSERT INTO actors (name, age, gender) VALUES ('Annika', 33, 'female')`);
    });
    await ctx.db.query('SELECT row_counts_recount()');
    expect(await names(search)).toEqual({ names: ['Hannah', 'Annika'], total: 2 });
  });

  it('is kept per search: other parameters, pages and sort orders are other entries', async () => {
    await insertActors(
      ctx.db,
      { name: 'Ann', age: 50, gender: 'female' },
      { name: 'Anna', age: 20, gender: 'female' },
      { name: 'Danny', age: 35, gender: 'male' },
    );
    expect((await names('/actors?q=ann&sort=age')).names).toEqual(['Anna', 'Danny', 'Ann']);
    expect((await names('/actors?q=ann&sort=-age')).names).toEqual(['Ann', 'Danny', 'Anna']);
    expect(await names('/actors?q=ann&sort=age&limit=1&page=2')).toEqual({ names: ['Danny'], total: 3 });
    expect(await names('/actors?q=ann&gender=male')).toEqual({ names: ['Danny'], total: 1 });
    expect(await names('/actors?q=anna')).toEqual({ names: ['Anna'], total: 1 });
    expect((await names('/actors?sort=-age&q=ann')).names).toEqual(['Ann', 'Danny', 'Anna']);
  });

  it('covers movies the same way', async () => {
    const [heat] = await insertMovies(
      ctx.db,
      { title: 'Heat', release_date: '1995-12-15' },
      { title: 'Ronin', release_date: '1998-09-25' },
    );
    const titles = async () => (await ctx.api.as('assistant').get('/movies?q=hea').expect(200)).body;
    expect(await titles()).toMatchObject({ all_movies: 1, movies: [{ title: 'Heat' }] });
    await ctx.api.as('producer').patch(`/movies/${heat!.id}`).send({ title: 'Cold' }).expect(200);
    expect(await titles()).toMatchObject({ all_movies: 0, movies: [] });
    await ctx.api.as('producer').post('/movies').send({ title: 'Heathers', release_date: '1989-03-31' }).expect(201);
    expect(await titles()).toMatchObject({ all_movies: 1, movies: [{ title: 'Heathers', release_date: '1989-03-31' }] });
  });
});

describe('what a repeated search costs', () => {
  it('one read of the version while the table is unchanged, the whole search after any change', async () => {
    await insertActors(ctx.db, { name: 'Ann', age: 30, gender: 'female' });
    const { db, statements } = recording(ctx.db);
    const api = ctx.clientFor(buildApp(db, ctx.issuer)).as('assistant');
    const get = (path: string) => api.get(path).expect(200);

    await get('/actors?q=ann');
    await get('/actors?q=ann');
    await get('/actors?q=ann');
    expect(searches(statements)).toBe(1);
    expect(statements.filter((s) => /^SELECT \(SELECT sum\(changes\)/.test(s))).toHaveLength(2);

    await ctx.db.query(`UPDATE actors SET age = 31`);
    await get('/actors?q=ann');
    await get('/actors?q=ann');
    expect(searches(statements)).toBe(2);

    // A transaction that rolls back changed nothing: the kept answer stays good.
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query(`UPDATE actors SET age = 99`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await get('/actors?q=ann');
    expect(searches(statements)).toBe(2);

    // Lists without q are never kept: their count and page come from indexes already.
    await get('/actors');
    await get('/actors');
    expect(statements.filter((s) => s.includes('FROM actors a') && !s.includes('ILIKE'))).toHaveLength(2);
  });

  it('the whole search every time with SEARCH_CACHE_SIZE=0', async () => {
    await insertActors(ctx.db, { name: 'Ann', age: 30, gender: 'female' });
    const { db, statements } = recording(ctx.db);
    const api = ctx.clientFor(buildApp(db, ctx.issuer, { searchCache: testSearchCache(0) })).as('assistant');
    for (let i = 0; i < 3; i += 1) await api.get('/actors?q=ann').expect(200);
    expect(searches(statements)).toBe(3);
  });

  it('the whole search again once an answer is older than maxAgeMs, and the least recently used leaves first', async () => {
    await insertActors(ctx.db, { name: 'Ann', age: 30, gender: 'female' }, { name: 'Bo', age: 40, gender: 'male' });
    const { db, statements } = recording(ctx.db);
    let now = 0;
    const spec = {
      table: 'actors',
      alias: 'a',
      columns: 'a.id, a.name',
      sortColumns: { id: 'id' },
      filters: { q: (p: string) => `a.name ILIKE ${p}` },
      total: ({ from }: { from: string }) => `(SELECT count(*) FROM ${from})::int`,
    };
    const cache = searchCache(spec, { maxEntries: 2, maxAgeMs: 1000, now: () => now });
    const search = (q: string) => cache.list(db, { q, page: 1, limit: 10, sort: { field: 'id', descending: false } });

    expect(await search('an')).toEqual({ items: [{ id: 1, name: 'Ann' }], total: 1, searchedTable: true });
    now = 999;
    await search('an');
    expect(searches(statements)).toBe(1);
    now = 1000;
    await search('an');
    expect(searches(statements)).toBe(2);

    await search('bo'); // kept: an, bo
    await search('an'); // a use: bo is now the least recently used
    await search('o'); // full: bo leaves
    expect(searches(statements)).toBe(4);
    await search('an');
    await search('o');
    expect(searches(statements)).toBe(4);
    await search('bo');
    expect(searches(statements)).toBe(5);
  });
});
