import { createTestContext, insertActors, insertMovies, type ActorRow, type MovieRow, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const names = (res: { body: { actors: ActorRow[] } }) => res.body.actors.map((a) => a.name);
const titles = (res: { body: { movies: MovieRow[] } }) => res.body.movies.map((m) => m.title);

describe('GET /actors with q, sort and filters', () => {
  beforeEach(async () => {
    await insertActors(
      ctx.db,
      { name: 'Kevin Bacon', age: 64, gender: 'male' },
      { name: 'Kevin Costner', age: 68, gender: 'male' },
      { name: 'Diego Luna', age: 43, gender: 'male' },
      { name: 'Meryl Streep', age: 74, gender: 'female' },
      { name: 'Kerry Washington', age: 46, gender: 'Female' },
      { name: 'Elliot Page', age: 36, gender: 'non-binary' },
    );
  });
  const get = (query: string) => ctx.api.as('assistant').get(`/actors?${query}`);

  it.each([
    ['q=kev', ['Kevin Bacon', 'Kevin Costner']],
    ['q=KEVIN', ['Kevin Bacon', 'Kevin Costner']],
    ['q=in%20c', ['Kevin Costner']],
    ['q=e', ['Kevin Bacon', 'Kevin Costner', 'Diego Luna', 'Meryl Streep', 'Kerry Washington', 'Elliot Page']],
    ['q=zzz', []],
    ['gender=female', ['Meryl Streep', 'Kerry Washington']],
    ['gender=FEMALE', ['Meryl Streep', 'Kerry Washington']],
    ['gender=%20female%20', ['Meryl Streep', 'Kerry Washington']],
    ['gender=fem', []],
    ['min_age=46&max_age=68', ['Kevin Bacon', 'Kevin Costner', 'Kerry Washington']],
    ['min_age=68&max_age=68', ['Kevin Costner']],
    ['min_age=70', ['Meryl Streep']],
    ['max_age=36', ['Elliot Page']],
    ['q=ke&gender=male&min_age=65', ['Kevin Costner']],
    ['sort=name', ['Diego Luna', 'Elliot Page', 'Kerry Washington', 'Kevin Bacon', 'Kevin Costner', 'Meryl Streep']],
    ['sort=-name', ['Meryl Streep', 'Kevin Costner', 'Kevin Bacon', 'Kerry Washington', 'Elliot Page', 'Diego Luna']],
    ['sort=age', ['Elliot Page', 'Diego Luna', 'Kerry Washington', 'Kevin Bacon', 'Kevin Costner', 'Meryl Streep']],
    ['sort=-age', ['Meryl Streep', 'Kevin Costner', 'Kevin Bacon', 'Kerry Washington', 'Diego Luna', 'Elliot Page']],
    ['sort=-id', ['Elliot Page', 'Kerry Washington', 'Meryl Streep', 'Diego Luna', 'Kevin Costner', 'Kevin Bacon']],
    ['sort=id', ['Kevin Bacon', 'Kevin Costner', 'Diego Luna', 'Meryl Streep', 'Kerry Washington', 'Elliot Page']],
    ['q=e&gender=male&sort=-age', ['Kevin Costner', 'Kevin Bacon', 'Diego Luna']],
  ])('?%s returns the matching actors, all counted', async (query, expected) => {
    const res = await get(query);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(expected);
    expect(res.body.all_actors).toBe(expected.length);
  });

  it('counts every match in all_actors while returning one page of them', async () => {
    const res = await get('q=e&sort=-age&limit=2&page=2');
    expect(res.body).toMatchObject({ all_actors: 6, page: 2, limit: 2 });
    expect(names(res)).toEqual(['Kevin Bacon', 'Kerry Washington']);
  });

  it('answers whole actors with every contract field', async () => {
    const res = await get('q=meryl');
    expect(res.body.actors).toEqual([{ id: expect.any(Number), name: 'Meryl Streep', age: 74, gender: 'female' }]);
  });
});

describe('GET /actors?q= takes LIKE wildcards literally', () => {
  beforeEach(async () => {
    const actor = (name: string) => ({ name, age: 30, gender: 'x' });
    await insertActors(ctx.db, actor('100% Real'), actor('100 Real'), actor('a_b'), actor('axb'), actor('back\\slash'), actor('backslash'));
  });

  it.each([
    ['%', ['100% Real']],
    ['0%', ['100% Real']],
    ['_', ['a_b']],
    ['a_b', ['a_b']],
    ['\\', ['back\\slash']],
    ['k\\s', ['back\\slash']],
    ['%_\\', []],
  ])('q=%s matches only names that contain it', async (q, expected) => {
    const res = await ctx.api.as('assistant').get('/actors').query({ q });
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(expected);
    expect(res.body.all_actors).toBe(expected.length);
  });
});

describe('GET /movies with q, sort and filters', () => {
  beforeEach(async () => {
    await insertMovies(
      ctx.db,
      { title: 'The Prestige', release_date: '2006-10-20' },
      { title: 'Spider-Man 3', release_date: '2007-05-04' },
      { title: 'Spectre', release_date: '2015-11-06' },
      { title: 'The Dark Knight', release_date: '2008-07-18' },
      { title: 'Inception', release_date: '2010-07-16' },
    );
  });
  const get = (query: string) => ctx.api.as('assistant').get(`/movies?${query}`);

  it.each([
    ['q=spe', ['Spectre']],
    ['q=THE', ['The Prestige', 'The Dark Knight']],
    ['q=-man', ['Spider-Man 3']],
    ['released_after=2007-05-04', ['Spider-Man 3', 'Spectre', 'The Dark Knight', 'Inception']],
    ['released_before=2007-05-04', ['The Prestige', 'Spider-Man 3']],
    ['released_after=2007-05-04&released_before=2007-05-04', ['Spider-Man 3']],
    ['released_after=2007-05-05&released_before=2010-07-16', ['The Dark Knight', 'Inception']],
    ['released_after=2016-01-01', []],
    ['sort=release_date', ['The Prestige', 'Spider-Man 3', 'The Dark Knight', 'Inception', 'Spectre']],
    ['sort=-release_date', ['Spectre', 'Inception', 'The Dark Knight', 'Spider-Man 3', 'The Prestige']],
    ['sort=title', ['Inception', 'Spectre', 'Spider-Man 3', 'The Dark Knight', 'The Prestige']],
    ['sort=-title', ['The Prestige', 'The Dark Knight', 'Spider-Man 3', 'Spectre', 'Inception']],
    ['q=e&released_after=2008-01-01&sort=-release_date', ['Spectre', 'Inception', 'The Dark Knight']],
  ])('?%s returns the matching movies, all counted', async (query, expected) => {
    const res = await get(query);
    expect(res.status).toBe(200);
    expect(titles(res)).toEqual(expected);
    expect(res.body.all_movies).toBe(expected.length);
  });

  it('answers dates exactly as stored', async () => {
    const res = await get('q=prestige');
    expect(res.body.movies).toEqual([{ id: expect.any(Number), title: 'The Prestige', release_date: '2006-10-20' }]);
  });
});

describe('migration 002', () => {
  it('creates the trigram, sort and filter indexes on this database', async () => {
    const rows = await ctx.db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('actors', 'movies') ORDER BY indexname",
    );
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'actors_age_id_idx',
        'actors_gender_age_idx',
        'actors_name_id_idx',
        'actors_name_trgm_idx',
        'movies_release_date_id_idx',
        'movies_title_id_idx',
        'movies_title_trgm_idx',
      ]),
    );
    expect(await ctx.db.query("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([{ extname: 'pg_trgm' }]);
  });
});
