import { createTestContext, type ActorRow, type MovieRow, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
  // Few distinct values, and ids that do not follow them: every page boundary falls inside a tie.
  await ctx.db.query(`
    INSERT INTO actors (name, age, gender)
    SELECT (ARRAY['Ann', 'Bob', 'Cid'])[1 + (g * 7) % 3], 30 + (g * 5) % 4, (ARRAY['female', 'male'])[1 + g % 2]
    FROM generate_series(1, 41) g`);
  await ctx.db.query(`
    INSERT INTO movies (title, release_date)
    SELECT (ARRAY['Alpha', 'Beta'])[1 + (g * 3) % 2], (ARRAY['2001-01-01', '1999-12-31', '2010-06-15'])[1 + (g * 5) % 3]::date
    FROM generate_series(1, 41) g`);
  // An update writes a new row version at the end of the table: scans no longer meet the rows in id order.
  await ctx.db.query('UPDATE actors SET age = age WHERE id % 3 <> 1');
  await ctx.db.query('UPDATE movies SET title = title WHERE id % 3 <> 1');
  // With statistics the planner sorts these small tables instead of walking an index, so only the id
  // tie-break keeps equal values in one order.
  await ctx.db.query('ANALYZE actors, movies');
});
afterAll(() => ctx.close());

type Row = { id: number } & Record<string, unknown>;

/** Every page of a list, plus one past the end, with the total each page reported. */
async function allPages(path: string, key: 'actors' | 'movies', limit: number): Promise<{ rows: Row[]; totals: number[] }> {
  const rows: Row[] = [];
  const totals: number[] = [];
  for (let page = 1; ; page++) {
    const res = await ctx.api.as('assistant').get(`${path}&limit=${limit}&page=${page}`);
    expect(res.status).toBe(200);
    totals.push(res.body[`all_${key}`]);
    if (res.body[key].length === 0) break;
    rows.push(...res.body[key]);
  }
  return { rows, totals };
}

/** The order the API promises: the field, then id, both in the requested direction. */
function expectedOrder(rows: Row[], sort: string): number[] {
  const descending = sort.startsWith('-');
  const field = sort.replace(/^-/, '');
  const compare = (a: Row, b: Row) => {
    const [x, y] = [a[field] as string | number, b[field] as string | number];
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  };
  return [...rows].sort((a, b) => (descending ? -compare(a, b) : compare(a, b))).map((r) => r.id);
}

describe('paging through a list sorted by a field with ties', () => {
  it.each([
    ['/actors?sort=age', 'actors', 5],
    ['/actors?sort=-age', 'actors', 5],
    ['/actors?sort=name', 'actors', 4],
    ['/actors?sort=-name', 'actors', 7],
    ['/actors?sort=-id', 'actors', 6],
    ['/actors?sort=age&gender=female', 'actors', 3],
    ['/movies?sort=release_date', 'movies', 5],
    ['/movies?sort=-release_date', 'movies', 4],
    ['/movies?sort=title', 'movies', 6],
    ['/movies?sort=-title&released_after=2000-01-01', 'movies', 3],
  ] as const)('%s, read as %s pages of %i, shows every row exactly once, in order', async (path, key, limit) => {
    const sort = new URL(path, 'http://x').searchParams.get('sort')!;
    const everything = await ctx.api.as('assistant').get(`${path}&limit=200`);
    const all: Row[] = everything.body[key];
    const { rows, totals } = await allPages(path, key, limit);

    expect(rows.map((r) => r.id)).toEqual(expectedOrder(all, sort));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows).toHaveLength(all.length);
    expect(new Set(totals)).toEqual(new Set([all.length]));
    expect(all.length).toBeGreaterThan(limit * 3);
  });

  it('the unfiltered lists hold all 41 rows each', async () => {
    const actors = await ctx.api.as('assistant').get('/actors?limit=200');
    const movies = await ctx.api.as('assistant').get('/movies?limit=200');
    expect((actors.body.actors as ActorRow[]).length).toBe(41);
    expect((movies.body.movies as MovieRow[]).length).toBe(41);
  });
});
