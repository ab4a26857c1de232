import { createTestContext, countRows, insertActors, insertMovies, type TestContext } from '../kit/context';
import { linksOf } from '../kit/links';

/*
 * How creating, reading and listing differ from the original API
 * (docs/migrating-from-the-original.md), and what a client does instead.
 */
let ctx: TestContext;
beforeEach(async () => {
  await ctx.reset();
});
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('POST', () => {
  it('answers 201 with Location (the original: 200)', async () => {
    const res = await ctx.api.as('producer').post('/movies').send({ title: 'Heat', release_date: '1995-12-15' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/movies/1');
  });
});

describe('release_date', () => {
  it('comes back as YYYY-MM-DD (the original: "Fri, 20 Oct 2006 00:00:00 GMT")', async () => {
    await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' });
    const res = await ctx.api.as('assistant').get('/movies');
    expect(res.body.movies[0].release_date).toBe('2006-10-20');
  });

  it("in the original's output form is refused on input (422), and nothing is stored", async () => {
    const res = await ctx.api.as('producer').post('/movies').send({ title: 'The Prestige', release_date: 'Fri, 20 Oct 2006 00:00:00 GMT' });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([{ path: 'release_date', message: 'must be a real calendar date, YYYY-MM-DD' }]);
    expect(await countRows(ctx.db, 'movies')).toBe(0);
  });
});

describe('bodies are strict', () => {
  it('an actor fetched and sent back whole (id, movies) is 422 naming both; its own fields alone are 200', async () => {
    await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const { actor } = (await ctx.api.as('director').get('/actors/1')).body;
    const whole = await ctx.api
      .as('director')
      .patch('/actors/1')
      .send({ ...actor, age: 23 });
    expect(whole.status).toBe(422);
    expect(whole.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['id', 'movies']);

    const { name, age, gender } = actor;
    const fields = await ctx.api
      .as('director')
      .patch('/actors/1')
      .send({ name, age: age + 1, gender });
    expect(fields.status).toBe(200);
    expect(fields.body.modified_actor.age).toBe(23);
  });

  it('a movie fetched and sent back whole (id, actors) is 422', async () => {
    await insertMovies(ctx.db, { title: 'Heat', release_date: '1995-12-15' });
    const { movie } = (await ctx.api.as('director').get('/movies/1')).body;
    const res = await ctx.api.as('director').patch('/movies/1').send(movie);
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['actors', 'id']);
  });

  it('a number sent as a string ("age": "22") is 422 (the original let the database convert it)', async () => {
    const res = await ctx.api.as('director').post('/actors').send({ name: 'Ana', age: '22', gender: 'female' });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'age' })]);
  });

  it('a PATCH with no fields ({}) is 422 (the original answered 200 and changed nothing)', async () => {
    await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const res = await ctx.api.as('director').patch('/actors/1').send({});
    expect(res.status).toBe(422);
  });

  it('text is trimmed: " Ana " is stored and answered as "Ana"', async () => {
    const res = await ctx.api.as('director').post('/actors').send({ name: ' Ana ', age: 30, gender: ' female ' });
    expect(res.body.new_actor).toEqual({ id: 1, name: 'Ana', age: 30, gender: 'female' });
  });
});

describe('lists', () => {
  it.each(['actors', 'movies'])('an empty %s list is 200 with [] (the original: 404 "Resource Not Found")', async (plural) => {
    const res = await ctx.api.as('assistant').get(`/${plural}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, [plural]: [], [`all_${plural}`]: 0 });
  });

  it('with 60 actors, GET /actors shows 50, all_actors says 60, and Link next leads to the other 10', async () => {
    await ctx.db.query("INSERT INTO actors (name, age, gender) SELECT 'Actor ' || g, 30, 'female' FROM generate_series(1, 60) g");
    const first = await ctx.api.as('assistant').get('/actors');
    expect(first.body.actors).toHaveLength(50);
    expect(first.body).toMatchObject({ all_actors: 60, page: 1, limit: 50 });

    const links = linksOf(first.headers.link);
    expect(links.next).toBe('/actors?page=2');
    const rest = await ctx.api.as('assistant').get(links.next!);
    expect(rest.body.actors.map((a: { id: number }) => a.id)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(linksOf(rest.headers.link).next).toBeUndefined();
  });

  it('?limit=200 reads up to 200 rows a page; more is 400', async () => {
    await ctx.db.query("INSERT INTO actors (name, age, gender) SELECT 'Actor ' || g, 30, 'female' FROM generate_series(1, 60) g");
    expect((await ctx.api.as('assistant').get('/actors?limit=200')).body.actors).toHaveLength(60);
    expect((await ctx.api.as('assistant').get('/actors?limit=201')).status).toBe(400);
  });
});
