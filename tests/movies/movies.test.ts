import { countRows, createTestContext, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const prestige = { title: 'The Prestige', release_date: '2006-10-20' };
const spectre = { title: 'Spectre', release_date: '2015-11-06' };

describe('GET /movies', () => {
  it('returns 200 with an empty list when there are no movies', async () => {
    const res = await ctx.api.as('assistant').get('/movies');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, movies: [], all_movies: 0, page: 1, limit: 50 });
  });

  it('returns the movies in id order with dates as YYYY-MM-DD strings', async () => {
    const [a, b] = await insertMovies(ctx.db, prestige, spectre);
    const res = await ctx.api.as('assistant').get('/movies');
    expect(res.body).toEqual({ success: true, movies: [a, b], all_movies: 2, page: 1, limit: 50 });
    expect(res.body.movies[0]).toEqual({ id: a!.id, ...prestige });
  });

  it('pages with page and limit while all_movies counts every row', async () => {
    const rows = await insertMovies(ctx.db, ...Array.from({ length: 5 }, (_, i) => ({ title: `M${i}`, release_date: `200${i}-01-01` })));
    const res = await ctx.api.as('assistant').get('/movies?page=2&limit=2');
    expect(res.body).toEqual({ success: true, movies: rows.slice(2, 4), all_movies: 5, page: 2, limit: 2 });
  });

  it('returns 400 for a bad limit', async () => {
    const res = await ctx.api.as('assistant').get('/movies?limit=abc');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_query', details: [expect.objectContaining({ path: 'limit' })] });
  });
});

describe('GET /movies/:id', () => {
  it('returns the movie', async () => {
    const [m] = await insertMovies(ctx.db, prestige);
    const res = await ctx.api.as('assistant').get(`/movies/${m!.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, movie: m });
  });

  it.each(['12345', 'x', '0'])('returns 404 not_found for id %s', async (id) => {
    const res = await ctx.api.as('assistant').get(`/movies/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: 404, code: 'not_found' });
  });
});

describe('POST /movies', () => {
  it('returns 201 with Location, created_id and new_movie, and stores the row', async () => {
    const res = await ctx.api.as('producer').post('/movies').send(prestige);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ success: true, created_id: res.body.new_movie.id, new_movie: { id: expect.any(Number), ...prestige } });
    expect(res.headers.location).toBe(`/movies/${res.body.created_id}`);
    expect(await ctx.db.query('SELECT title, release_date FROM movies')).toEqual([prestige]);
  });

  it.each(['2024-02-29', '1895-12-28', '9999-12-31', '0001-01-01'])('round-trips the date %s exactly', async (date) => {
    const res = await ctx.api.as('producer').post('/movies').send({ title: 'D', release_date: date });
    expect(res.body.new_movie.release_date).toBe(date);
    const got = await ctx.api.as('assistant').get(`/movies/${res.body.created_id}`);
    expect(got.body.movie.release_date).toBe(date);
  });

  it.each([
    ['a missing title', { release_date: '2006-10-20' }, 'title'],
    ['a blank title', { ...prestige, title: ' ' }, 'title'],
    ['a 201-character title', { ...prestige, title: 't'.repeat(201) }, 'title'],
    ['a missing date', { title: 'X' }, 'release_date'],
    ['February 30th', { ...prestige, release_date: '2023-02-30' }, 'release_date'],
    ['February 29th in a common year', { ...prestige, release_date: '2023-02-29' }, 'release_date'],
    ['month 13', { ...prestige, release_date: '2023-13-01' }, 'release_date'],
    ['year 0', { ...prestige, release_date: '0000-01-01' }, 'release_date'],
    ['a date with a time', { ...prestige, release_date: '2006-10-20T00:00:00Z' }, 'release_date'],
    ['a US-style date', { ...prestige, release_date: '10/20/2006' }, 'release_date'],
    ['a numeric date', { ...prestige, release_date: 20061020 }, 'release_date'],
    ['an unknown field', { ...prestige, director: 'Nolan' }, 'director'],
  ])('returns 422 and stores nothing for %s', async (_label, body, path) => {
    const res = await ctx.api.as('producer').post('/movies').send(body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(await countRows(ctx.db, 'movies')).toBe(0);
  });
});

describe('PATCH /movies/:id', () => {
  it('changes only the given fields and answers old_movie and modified_movie', async () => {
    const [m] = await insertMovies(ctx.db, prestige);
    const res = await ctx.api.as('director').patch(`/movies/${m!.id}`).send({ release_date: '2006-11-10' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, old_movie: m, modified_movie: { ...m, release_date: '2006-11-10' } });
    expect(await ctx.db.query('SELECT title, release_date FROM movies')).toEqual([{ ...prestige, release_date: '2006-11-10' }]);
  });

  it('returns 422 and changes nothing when one field of several is bad', async () => {
    const [m] = await insertMovies(ctx.db, prestige);
    const res = await ctx.api.as('director').patch(`/movies/${m!.id}`).send({ title: 'New', release_date: '2006-02-31' });
    expect(res.status).toBe(422);
    expect(await ctx.db.query('SELECT id, title, release_date FROM movies')).toEqual([m]);
  });

  it('returns 422 for an empty body', async () => {
    const [m] = await insertMovies(ctx.db, prestige);
    const res = await ctx.api.as('director').patch(`/movies/${m!.id}`).send({});
    expect(res.status).toBe(422);
    expect(res.body.details[0].message).toContain('title');
  });

  it('returns 404 for an unknown id', async () => {
    const res = await ctx.api.as('director').patch('/movies/777').send({ title: 'x' });
    expect(res.status).toBe(404);
  });
});

describe('DELETE /movies/:id', () => {
  it('deletes and answers the deleted movie with counts before and after', async () => {
    const [a, b] = await insertMovies(ctx.db, prestige, spectre);
    const res = await ctx.api.as('producer').delete(`/movies/${b!.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      deleted_movie_id: b!.id,
      deleted_movie: b,
      number_of_movies_before: 2,
      number_of_movies_after: 1,
    });
    expect(await ctx.db.query('SELECT id, title, release_date FROM movies')).toEqual([a]);
  });

  it('gives one 200 and nine 404 for 10 parallel deletes of one id', async () => {
    const [m] = await insertMovies(ctx.db, prestige);
    const results = await Promise.all(Array.from({ length: 10 }, () => ctx.api.as('producer').delete(`/movies/${m!.id}`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(404)]);
    expect(await countRows(ctx.db, 'movies')).toBe(0);
  });

  it('removes the cast entries of the movie in the same statement', async () => {
    const [m] = await insertMovies(ctx.db, prestige);
    const [actor] = await ctx.db.query<{ id: number }>(`INSERT INTO actors (name, age, gender) VALUES ('A', 1, 'x') RETURNING id`);
    await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2)', [m!.id, actor!.id]);
    await ctx.api.as('producer').delete(`/movies/${m!.id}`).expect(200);
    expect(await countRows(ctx.db, 'movie_actors')).toBe(0);
    expect(await countRows(ctx.db, 'actors')).toBe(1);
  });
});
