import { createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';
import { linksOf, pageOf } from '../kit/links';

/*
 * RFC 8288 `Link` on the paged lists: where the other pages are, as the request's own URL with
 * only `page` changed, safe to put in a header whatever the client sent.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
  const names = Array.from({ length: 23 }, (_, i) => ({
    name: `Actor ${String(i + 1).padStart(2, '0')}`,
    age: 20 + (i % 7),
    gender: i % 2 ? 'male' : 'female',
  }));
  await insertActors(ctx.db, ...names);
  await insertMovies(ctx.db, ...Array.from({ length: 7 }, (_, i) => ({ title: `Movie ${i + 1}`, release_date: `200${i}-01-01` })));
  await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) SELECT 1, g FROM generate_series(1, 12) g');
  await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) SELECT g, 1 FROM generate_series(2, 5) g');
});
afterAll(() => ctx.close());

const get = (url: string) => ctx.api.as('assistant').get(url);

describe('GET /actors: the Link header', () => {
  it('on page 1 of 3 (page not sent): first, next and last, each the request with page added', async () => {
    const res = await get('/actors?limit=10');
    expect(res.status).toBe(200);
    expect(res.headers.link).toBe(
      '</actors?limit=10&page=1>; rel="first", </actors?limit=10&page=2>; rel="next", </actors?limit=10&page=3>; rel="last"',
    );
  });

  it('in the middle: all four, with page replaced where the client put it', async () => {
    const res = await get('/actors?page=2&limit=10');
    expect(res.headers.link).toBe(
      '</actors?page=1&limit=10>; rel="first", </actors?page=1&limit=10>; rel="prev", ' +
        '</actors?page=3&limit=10>; rel="next", </actors?page=3&limit=10>; rel="last"',
    );
  });

  it('on the last page: no next', async () => {
    const links = linksOf((await get('/actors?page=3&limit=10')).headers.link);
    expect(links).toEqual({ first: '/actors?page=1&limit=10', prev: '/actors?page=2&limit=10', last: '/actors?page=3&limit=10' });
  });

  it('past the end: prev is the last page, where the rows are, and there is no next', async () => {
    const res = await get('/actors?page=9&limit=10');
    expect(res.body.actors).toEqual([]);
    expect(linksOf(res.headers.link)).toEqual({
      first: '/actors?page=1&limit=10',
      prev: '/actors?page=3&limit=10',
      last: '/actors?page=3&limit=10',
    });
  });

  it('on an empty list: first and last are page 1, nothing else', async () => {
    const res = await get('/actors?q=nobody');
    expect(res.body).toMatchObject({ actors: [], all_actors: 0 });
    expect(res.headers.link).toBe('</actors?q=nobody&page=1>; rel="first", </actors?q=nobody&page=1>; rel="last"');
  });

  it('without a query string: the default limit (50) holds all 23, so first and last are page 1', async () => {
    const res = await get('/actors');
    expect(res.headers.link).toBe('</actors?page=1>; rel="first", </actors?page=1>; rel="last"');
  });

  it('keeps every other parameter as the client sent it, in its order', async () => {
    const links = linksOf((await get('/actors?sort=-age&q=actor&min_age=0&gender=male&limit=3&page=2')).headers.link);
    expect(links.next).toBe('/actors?sort=-age&q=actor&min_age=0&gender=male&limit=3&page=3');
    expect(links.prev).toBe('/actors?sort=-age&q=actor&min_age=0&gender=male&limit=3&page=1');
  });

  it.each([
    ['upper-case escapes', '/actors?q=%41ctor%200&limit=2', 'q=%41ctor%200'],
    ['lower-case escapes', '/actors?q=%61ctor%20%30&limit=2', 'q=%61ctor%20%30'],
    ['a plus for a space', '/actors?q=Actor+0&limit=2', 'q=Actor+0'],
    ['an escaped page name', '/actors?limit=2&pa%67e=2', 'limit=2&page=3'],
  ])('keeps the percent-encoding as sent (%s)', async (_label, url, kept) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(linksOf(res.headers.link).next).toContain(kept);
  });
});

describe('the other paged lists send Link too', () => {
  it.each([
    [
      '/movies?limit=3',
      '</movies?limit=3&page=1>; rel="first", </movies?limit=3&page=2>; rel="next", </movies?limit=3&page=3>; rel="last"',
    ],
    [
      '/movies/1/actors?limit=5&page=3',
      '</movies/1/actors?limit=5&page=1>; rel="first", </movies/1/actors?limit=5&page=2>; rel="prev", </movies/1/actors?limit=5&page=3>; rel="last"',
    ],
    [
      '/actors/1/movies?page=1&limit=2',
      '</actors/1/movies?page=1&limit=2>; rel="first", </actors/1/movies?page=2&limit=2>; rel="next", </actors/1/movies?page=3&limit=2>; rel="last"',
    ],
    ['/actors/7/movies', '</actors/7/movies?page=1>; rel="first", </actors/7/movies?page=1>; rel="last"'],
  ])('GET %s', async (url, link) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.link).toBe(link);
  });
});

describe('following next from page 1', () => {
  it.each([
    ['/actors?sort=name&limit=4', 'actors'],
    ['/actors?q=actor&sort=-age&limit=5', 'actors'],
    ['/movies?sort=-release_date&limit=2', 'movies'],
    ['/movies/1/actors?limit=5', 'actors'],
    ['/actors/1/movies?limit=1', 'movies'],
  ])('%s visits every row exactly once, in order, and ends where last said', async (start, key) => {
    const everything = await get(start.replace(/limit=\d+/, 'limit=200'));
    const first = await get(start);
    const last = linksOf(first.headers.link).last!;
    const ids: number[] = [];
    let url: string | undefined = start;
    let visited = '';
    while (url) {
      const res = await get(url);
      expect(res.status).toBe(200);
      ids.push(...res.body[key].map((row: { id: number }) => row.id));
      visited = url;
      url = linksOf(res.headers.link).next;
    }
    expect(ids).toEqual(everything.body[key].map((row: { id: number }) => row.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pageOf(visited)).toBe(pageOf(last));
    expect(ids.length).toBeGreaterThan(3);
  });
});
