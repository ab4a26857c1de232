import { createTestContext, insertMovies, type TestContext } from '../kit/context';

/*
 * What keeps working for a client of the original API (docs/migrating-from-the-original.md): its
 * README's requests, sent as it sends them (a JSON Content-Type on every request, `curl -r GET`'s
 * Range header), get the fields that README documents, under the same names.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
});
afterAll(() => ctx.close());

// The headers the original README's curl commands send on every request.
const asTheReadme = (role: 'assistant' | 'director' | 'producer') => {
  const api = ctx.api.as(role);
  const send = (test: ReturnType<typeof api.get>) => test.set('Content-Type', 'application/json').set('Range', 'bytes=GET');
  return {
    get: (url: string) => send(api.get(url)),
    post: (url: string, body: object) => send(api.post(url)).send(body),
    patch: (url: string, body: object) => send(api.patch(url)).send(body),
    delete: (url: string) => send(api.delete(url)),
  };
};

describe("the original README's requests", () => {
  it('GET / answers {success, home_route}', async () => {
    const res = await ctx.api.get('/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, home_route: true });
  });

  it('actors: POST, GET, PATCH and DELETE answer the fields the original named', async () => {
    const director = asTheReadme('director');
    const created = await director.post('/actors', { name: 'some name', age: 23, gender: 'other' });
    expect(created.status).toBeGreaterThanOrEqual(200);
    expect(created.status).toBeLessThan(300);
    expect(created.body).toEqual({ success: true, created: 1, new_actor: { id: 1, name: 'some name', age: 23, gender: 'other' } });

    const listed = await asTheReadme('assistant').get('/actors');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ success: true, actors: [{ id: 1, name: 'some name', age: 23, gender: 'other' }], all_actors: 1 });

    const patched = await director.patch('/actors/1', { name: 'modified name', age: 40, gender: 'female' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      success: true,
      actor_before: { id: 1, name: 'some name', age: 23, gender: 'other' },
      modified_actor: { id: 1, name: 'modified name', age: 40, gender: 'female' },
    });

    const deleted = await director.delete('/actors/1');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      success: true,
      deleted_actor_id: 1,
      deleted_actor: { id: 1, name: 'modified name', age: 40, gender: 'female' },
      number_of_actors_before: 1,
      number_of_actors_after: 0,
    });
  });

  it('movies: POST, GET, PATCH and DELETE answer the fields the original named (DELETE adds deleted_movie_id)', async () => {
    const producer = asTheReadme('producer');
    const created = await producer.post('/movies', { title: 'some movie title', release_date: '2024-12-23' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      success: true,
      created_id: 1,
      new_movie: { id: 1, title: 'some movie title', release_date: '2024-12-23' },
    });

    const listed = await asTheReadme('assistant').get('/movies');
    expect(listed.body).toMatchObject({ success: true, movies: [{ id: 1, title: 'some movie title' }], all_movies: 1 });

    const patched = await asTheReadme('director').patch('/movies/1', { title: 'modified movie name' });
    expect(patched.body).toEqual({
      success: true,
      old_movie: { id: 1, title: 'some movie title', release_date: '2024-12-23' },
      modified_movie: { id: 1, title: 'modified movie name', release_date: '2024-12-23' },
    });

    const deleted = await producer.delete('/movies/1');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      success: true,
      deleted_movie_id: 1,
      deleted_movie: { id: 1, title: 'modified movie name', release_date: '2024-12-23' },
      number_of_movies_before: 1,
      number_of_movies_after: 0,
    });
  });
});

describe('roles and permissions', () => {
  beforeEach(async () => {
    await ctx.reset();
    await insertMovies(ctx.db, { title: 'Heat', release_date: '1995-12-15' });
  });

  const BODIES: Record<string, object> = {
    '/actors': { name: 'Ana', age: 30, gender: 'female' },
    '/movies': { title: 'Heat', release_date: '1995-12-15' },
    '/movies/1': { title: 'Heat' },
  };
  it.each([
    ['assistant', 'get', '/actors', 200],
    ['assistant', 'post', '/actors', 403],
    ['director', 'post', '/actors', 201],
    ['director', 'post', '/movies', 403],
    ['director', 'patch', '/movies/1', 200],
    ['director', 'delete', '/movies/1', 403],
    ['producer', 'delete', '/movies/1', 200],
  ] as const)('the %s: %s %s answers %i, as in the original', async (role, method, path, status) => {
    const api = ctx.api.as(role);
    const res = method === 'get' || method === 'delete' ? await api[method](path) : await api[method](path).send(BODIES[path]!);
    expect(res.status).toBe(status);
  });
});

describe('CORS, for browser clients', () => {
  it('lets a page on any origin send Authorization and Content-Type, as the original did', async () => {
    const res = await ctx.api
      .options('/actors/1')
      .set('Origin', 'https://casting.example')
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization.*Content-Type/);
  });

  it('lets the page read Link, Location and Retry-After', async () => {
    const res = await ctx.api.as('assistant').get('/actors').set('Origin', 'https://casting.example');
    expect(res.headers['access-control-expose-headers']!.split(',')).toEqual(expect.arrayContaining(['Link', 'Location', 'Retry-After']));
  });
});
