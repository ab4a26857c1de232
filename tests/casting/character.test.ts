import { createTestContext, insertActors, insertMovies, type ActorRow, type MovieRow, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

let kevin: ActorRow, prestige: MovieRow;
beforeEach(async () => {
  await ctx.reset();
  [kevin] = (await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' })) as [ActorRow];
  [prestige] = (await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' })) as [MovieRow];
});

const path = () => `/movies/${prestige.id}/actors/${kevin.id}`;
const put = () => ctx.api.as('director').put(path());
const stored = async () =>
  (
    await ctx.db.query<{ character: string | null }>('SELECT character FROM movie_actors WHERE movie_id = $1 AND actor_id = $2', [
      prestige.id,
      kevin.id,
    ])
  )[0];
const answer = (character: string | null) => ({ success: true, movie_id: prestige.id, actor_id: kevin.id, character });

describe('PUT /movies/:id/actors/:actorId with a character', () => {
  it('When the actor is newly cast as a character, then it answers 201 with the trimmed character and stores it', async () => {
    const res = await put().send({ character: '  Alfred Borden ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(answer('Alfred Borden'));
    expect(await stored()).toEqual({ character: 'Alfred Borden' });
  });

  it('When the actor is already cast, then a character changes it (200), null clears it and no body leaves it as it is', async () => {
    await put().send({ character: 'Alfred Borden' }).expect(201);
    expect((await put().send({ character: 'Fallon' })).body).toEqual(answer('Fallon'));
    expect((await put()).body).toEqual(answer('Fallon'));
    expect(await stored()).toEqual({ character: 'Fallon' });
    expect((await put().set('Content-Type', 'application/json').send('{}')).body).toEqual(answer('Fallon'));
    const cleared = await put().send({ character: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual(answer(null));
    expect(await stored()).toEqual({ character: null });
  });

  it('When there is no body at all, then a new entry has no character (201), as before characters existed', async () => {
    const res = await put();
    expect(res.status).toBe(201);
    expect(res.body).toEqual(answer(null));
  });

  it.each([
    ['an unknown field', { character: 'Borden', role: 'lead' }, 'role'],
    ['an empty character', { character: '   ' }, 'character'],
    ['a character of 201 characters', { character: 'x'.repeat(201) }, 'character'],
    ['a number', { character: 42 }, 'character'],
    ['a NUL character', { character: 'a\u0000b' }, 'character'],
  ])('When the body has %s, then it answers 422 naming the field and changes nothing', async (_label, body, field) => {
    await put().send({ character: 'Borden' }).expect(201);
    const res = await put().send(body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, error: 422, code: 'validation_failed' });
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await stored()).toEqual({ character: 'Borden' });
  });

  it('accepts a character of exactly 200 characters', async () => {
    expect((await put().send({ character: 'y'.repeat(200) })).status).toBe(201);
  });

  it.each([
    ['text/plain', 'Borden', 415],
    ['application/json; charset=utf-16', '{"character":"Borden"}', 415],
    ['application/json', '{"character":', 400],
  ])('When the body is %s %s, then it answers %d and casts nothing', async (type, text, status) => {
    const res = await put().set('Content-Type', type).send(text);
    expect(res.status).toBe(status);
    expect(await stored()).toBeUndefined();
  });

  it('When the body is JSON but not an object, then it answers 400 (a bare string) or 422 (an array)', async () => {
    expect((await put().set('Content-Type', 'application/json').send('"Borden"')).status).toBe(400);
    expect((await put().set('Content-Type', 'application/json').send('[]')).status).toBe(422);
    expect(await stored()).toBeUndefined();
  });

  it('When the body is over 100 kB, then it answers 413 and casts nothing', async () => {
    const res = await put().send({ character: 'x'.repeat(110_000) });
    expect(res.status).toBe(413);
    expect(await stored()).toBeUndefined();
  });

  it('When a body without Content-Type is sent, then it answers 415', async () => {
    const res = await put().set('Content-Length', '5').send(Buffer.from('hello'));
    expect(res.status).toBe(415);
  });
});

describe('the character on every cast entry shown', () => {
  it('When the actor plays a character, then the cast lists and both GETs by id show it', async () => {
    await put().send({ character: 'Alfred Borden' }).expect(201);
    const as = { character: 'Alfred Borden' };
    const reader = ctx.api.as('assistant');
    expect((await reader.get(`/movies/${prestige.id}/actors`)).body.actors).toEqual([{ ...kevin, ...as }]);
    expect((await reader.get(`/actors/${kevin.id}/movies`)).body.movies).toEqual([{ ...prestige, ...as }]);
    expect((await reader.get(`/movies/${prestige.id}`)).body.movie.actors).toEqual([{ ...kevin, ...as }]);
    expect((await reader.get(`/actors/${kevin.id}`)).body.actor.movies).toEqual([{ ...prestige, ...as }]);
  });

  it.each(['movies', 'actors'] as const)('When the character changes, then the ETag of the %s row changes', async (plural) => {
    await put().send({ character: 'Alfred Borden' }).expect(201);
    const url = `/${plural}/${plural === 'movies' ? prestige.id : kevin.id}`;
    const first = (await ctx.api.as('assistant').get(url)).headers.etag;
    await put().send({ character: 'Alfred Borden' }).expect(200);
    expect((await ctx.api.as('assistant').get(url)).headers.etag).toBe(first);
    await put().send({ character: 'Fallon' }).expect(200);
    const second = (await ctx.api.as('assistant').get(url)).headers.etag;
    expect(second).not.toBe(first);
    expect((await ctx.api.as('assistant').get(url).set('If-None-Match', first!)).status).toBe(200);
  });

  it('When two directors set the character at once, then both answer and the history has one entry per change', async () => {
    await put().expect(201);
    const results = await Promise.all(['A', 'B', 'C', 'D'].map((character) => put().send({ character })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const history = (await ctx.api.as('assistant').get(`/movies/${prestige.id}/history`)).body.history;
    const updates = history.filter((c: { action: string }) => c.action === 'cast_updated').reverse();
    expect(updates).toHaveLength(4);
    for (let i = 1; i < updates.length; i += 1) expect(updates[i].before).toEqual(updates[i - 1].after);
  });
});
