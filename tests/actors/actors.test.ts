import { countRows, createTestContext, insertActors, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const kevin = { name: 'Kevin', age: 22, gender: 'male' };
const diego = { name: 'Diego', age: 21, gender: 'male' };

describe('GET /actors', () => {
  it('returns 200 with an empty list, never 404, when there are no actors', async () => {
    const res = await ctx.api.as('assistant').get('/actors');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, actors: [], all_actors: 0, page: 1, limit: 50 });
  });

  it('returns the actors in id order with the contract fields', async () => {
    const [a, b] = await insertActors(ctx.db, kevin, diego);
    const res = await ctx.api.as('assistant').get('/actors');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, actors: [a, b], all_actors: 2, page: 1, limit: 50 });
    expect(res.body.actors[0]).toEqual({ id: a!.id, name: 'Kevin', age: 22, gender: 'male' });
  });

  it('pages with page and limit while all_actors counts every row', async () => {
    const rows = await insertActors(ctx.db, ...Array.from({ length: 7 }, (_, i) => ({ name: `A${i}`, age: 20 + i, gender: 'female' })));
    const res = await ctx.api.as('assistant').get('/actors?page=2&limit=3');
    expect(res.body).toEqual({ success: true, actors: rows.slice(3, 6), all_actors: 7, page: 2, limit: 3 });
    const last = await ctx.api.as('assistant').get('/actors?page=3&limit=3');
    expect(last.body.actors).toEqual(rows.slice(6));
  });

  it('returns 200 with [] for a page past the end', async () => {
    await insertActors(ctx.db, kevin);
    const res = await ctx.api.as('assistant').get('/actors?page=5');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ actors: [], all_actors: 1, page: 5 });
  });

  it.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=', 'limit'],
    ['page=1&page=2', 'page'],
    ['colour=red', 'colour'],
  ])('returns 400 naming the parameter for ?%s', async (query, name) => {
    const res = await ctx.api.as('assistant').get(`/actors?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: 400, code: 'invalid_query' });
    expect(res.body.message).toContain(name);
    expect(res.body.details.length).toBeGreaterThan(0);
  });

  it('accepts the maximum limit of 200', async () => {
    const res = await ctx.api.as('assistant').get('/actors?limit=200');
    expect(res.status).toBe(200);
    expect(res.body.limit).toBe(200);
  });
});

describe('GET /actors/:id', () => {
  it('returns the actor', async () => {
    const [a] = await insertActors(ctx.db, kevin);
    const res = await ctx.api.as('assistant').get(`/actors/${a!.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, actor: a });
  });

  it.each(['999999', 'abc', '0', '-1', '1.5', '99999999999', '1e3'])('returns 404 not_found for id %s', async (id) => {
    const res = await ctx.api.as('assistant').get(`/actors/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: 404, code: 'not_found' });
  });
});

describe('POST /actors', () => {
  it('returns 201 with Location, created and new_actor, and stores the row', async () => {
    const res = await ctx.api.as('director').post('/actors').send(kevin);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ success: true, created: res.body.new_actor.id, new_actor: { id: expect.any(Number), ...kevin } });
    expect(res.headers.location).toBe(`/actors/${res.body.created}`);
    const stored = await ctx.db.query('SELECT name, age, gender FROM actors WHERE id = $1', [res.body.created]);
    expect(stored).toEqual([kevin]);
  });

  it('trims name and gender', async () => {
    const res = await ctx.api.as('director').post('/actors').send({ name: '  Kevin  ', age: 22, gender: ' male ' });
    expect(res.status).toBe(201);
    expect(res.body.new_actor).toMatchObject({ name: 'Kevin', gender: 'male' });
  });

  it.each([
    ['unicode', 'Zoë Saldaña 張曼玉 🎬'],
    ['quotes and SQL', `O'Brien "Bob"; DROP TABLE actors; --`],
    ['backslashes', 'C:\\\\path\\n'],
    ['200 characters', 'x'.repeat(200)],
  ])('stores a name with %s exactly', async (_label, name) => {
    const res = await ctx.api
      .as('director')
      .post('/actors')
      .send({ ...kevin, name });
    expect(res.status).toBe(201);
    const got = await ctx.api.as('assistant').get(`/actors/${res.body.created}`);
    expect(got.body.actor.name).toBe(name);
    expect(await countRows(ctx.db, 'actors')).toBe(1);
  });

  it.each([
    ['a missing name', { age: 22, gender: 'male' }, 'name'],
    ['an empty name', { ...kevin, name: '' }, 'name'],
    ['a blank name', { ...kevin, name: '   ' }, 'name'],
    ['a 201-character name', { ...kevin, name: 'x'.repeat(201) }, 'name'],
    ['a numeric name', { ...kevin, name: 42 }, 'name'],
    ['a null name', { ...kevin, name: null }, 'name'],
    ['a name with NUL', { ...kevin, name: 'a\u0000b' }, 'name'],
    ['a string age', { ...kevin, age: '22' }, 'age'],
    ['a negative age', { ...kevin, age: -1 }, 'age'],
    ['an age over 150', { ...kevin, age: 151 }, 'age'],
    ['a fractional age', { ...kevin, age: 22.5 }, 'age'],
    ['a missing gender', { name: 'K', age: 22 }, 'gender'],
    ['a 51-character gender', { ...kevin, gender: 'g'.repeat(51) }, 'gender'],
    ['an unknown field', { ...kevin, nickname: 'K' }, 'nickname'],
    ['a client-chosen id', { ...kevin, id: 99 }, 'id'],
  ])('returns 422 with details and stores nothing for %s', async (_label, body, path) => {
    const res = await ctx.api.as('director').post('/actors').send(body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, error: 422, code: 'validation_failed' });
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it.each([
    ['an array', []],
    ['a number', 42],
  ])('returns 4xx JSON and stores nothing for a body that is %s', async (_label, body) => {
    const res = await ctx.api.as('director').post('/actors').set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect([400, 422]).toContain(res.status);
    expect(res.body.success).toBe(false);
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it('creates 40 rows from 40 parallel requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ctx.api
          .as('director')
          .post('/actors')
          .send({ name: `P${i}`, age: i, gender: 'x' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect(new Set(results.map((r) => r.body.created)).size).toBe(40);
    expect(await countRows(ctx.db, 'actors')).toBe(40);
  });
});

describe('PATCH /actors/:id', () => {
  it('changes only the given fields and answers actor_before and modified_actor', async () => {
    const [a] = await insertActors(ctx.db, kevin);
    const res = await ctx.api.as('director').patch(`/actors/${a!.id}`).send({ age: 23 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, actor_before: a, modified_actor: { ...a, age: 23 } });
    expect(await ctx.db.query('SELECT name, age, gender FROM actors')).toEqual([{ ...kevin, age: 23 }]);
  });

  it('changes every field at once', async () => {
    const [a] = await insertActors(ctx.db, kevin);
    const res = await ctx.api.as('director').patch(`/actors/${a!.id}`).send({ name: 'K2', age: 1, gender: 'f' });
    expect(res.body.modified_actor).toEqual({ id: a!.id, name: 'K2', age: 1, gender: 'f' });
  });

  it.each([
    ['an empty body', {}],
    ['one bad field among good ones', { name: 'New', age: 999 }],
    ['an unknown field', { name: 'New', height: 180 }],
    ['a null field', { name: null }],
    ['an id', { id: 5 }],
  ])('returns 422 and changes nothing for %s', async (_label, body) => {
    const [a] = await insertActors(ctx.db, kevin);
    const res = await ctx.api.as('director').patch(`/actors/${a!.id}`).send(body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(await ctx.db.query('SELECT id, name, age, gender FROM actors')).toEqual([a]);
  });

  it('returns 404 for an unknown id', async () => {
    const res = await ctx.api.as('director').patch('/actors/424242').send({ age: 5 });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('DELETE /actors/:id', () => {
  it('deletes and answers the deleted actor with counts before and after', async () => {
    const [a, b] = await insertActors(ctx.db, kevin, diego);
    const res = await ctx.api.as('director').delete(`/actors/${a!.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      deleted_actor_id: a!.id,
      deleted_actor: a,
      number_of_actors_before: 2,
      number_of_actors_after: 1,
    });
    expect(await ctx.db.query('SELECT id, name, age, gender FROM actors')).toEqual([b]);
  });

  it('returns 404 the second time', async () => {
    const [a] = await insertActors(ctx.db, kevin);
    await ctx.api.as('director').delete(`/actors/${a!.id}`).expect(200);
    const res = await ctx.api.as('director').delete(`/actors/${a!.id}`);
    expect(res.status).toBe(404);
  });

  it('gives one 200 and nine 404 for 10 parallel deletes of one id', async () => {
    const [a] = await insertActors(ctx.db, kevin, diego);
    const results = await Promise.all(Array.from({ length: 10 }, () => ctx.api.as('director').delete(`/actors/${a!.id}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(404)]);
    expect(results.find((r) => r.status === 200)!.body).toMatchObject({ number_of_actors_before: 2, number_of_actors_after: 1 });
    expect(await countRows(ctx.db, 'actors')).toBe(1);
  });
});
