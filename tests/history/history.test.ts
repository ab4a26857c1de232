import { createTestContext, insertActors, insertMovies, type ActorRow, type MovieRow, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const DIRECTOR = 'auth0|test-director';
const PRODUCER = 'auth0|test-producer';
const RFC3339_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KEVIN = { name: 'Kevin', age: 22, gender: 'male' };
const PRESTIGE = { title: 'The Prestige', release_date: '2006-10-20' };

const history = async (path: string) => (await ctx.api.as('assistant').get(`${path}/history`).expect(200)).body;
const actions = async (path: string) => (await history(path)).history.map((c: { action: string }) => c.action);
const changeCount = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM changes'))[0]!.n;

describe('GET /actors/:id/history', () => {
  it('When an actor is created, changed and deleted, then each change is listed newest first with who, when and the fields', async () => {
    const dbBefore = (await ctx.db.query<{ t: string }>('SELECT now()::text AS t'))[0]!.t;
    const { id } = (await ctx.api.as('producer').post('/actors').send(KEVIN).expect(201)).body.new_actor;
    await ctx.api.as('director').patch(`/actors/${id}`).send({ age: 23 }).expect(200);
    await ctx.api.as('producer').delete(`/actors/${id}`).expect(200);

    const body = await history(`/actors/${id}`);
    const row = { id, ...KEVIN };
    expect(body).toMatchObject({ success: true, actor_id: id, all_changes: 3, page: 1, limit: 50 });
    expect(body.history).toEqual([
      {
        id: expect.any(Number),
        at: expect.stringMatching(RFC3339_UTC_MS),
        by: PRODUCER,
        action: 'deleted',
        before: { ...row, age: 23 },
        after: null,
      },
      { id: expect.any(Number), at: expect.any(String), by: DIRECTOR, action: 'updated', before: row, after: { ...row, age: 23 } },
      { id: expect.any(Number), at: expect.any(String), by: PRODUCER, action: 'created', before: null, after: row },
    ]);
    const ids = body.history.map((c: { id: number }) => c.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    // From the database clock: not before the first request started, and in UTC.
    for (const change of body.history) expect(Date.parse(change.at)).toBeGreaterThanOrEqual(Math.floor(Date.parse(dbBefore) / 1000) * 1000);
  });

  it('When a PATCH sets the values the actor already has, then it answers as before and records nothing', async () => {
    const [actor] = await insertActors(ctx.db, KEVIN);
    const res = await ctx.api.as('director').patch(`/actors/${actor!.id}`).send({ age: 22, name: 'Kevin' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, actor_before: actor, modified_actor: actor });
    expect(await changeCount()).toBe(0);
  });

  it('When the actor existed before history was kept, then its history is 200 and empty; an id that never existed is 404', async () => {
    const [actor] = await insertActors(ctx.db, KEVIN);
    expect(await history(`/actors/${actor!.id}`)).toEqual({
      success: true,
      actor_id: actor!.id,
      history: [],
      all_changes: 0,
      page: 1,
      limit: 50,
    });
    const missing = await ctx.api.as('assistant').get('/actors/999999/history');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, error: 404, code: 'not_found', message: 'Actor 999999 not found' });
  });

  it('When the history is longer than a page, then page and limit page it, all_changes counts every change and Link links the pages', async () => {
    const { id } = (await ctx.api.as('producer').post('/actors').send(KEVIN).expect(201)).body.new_actor;
    for (let age = 30; age < 34; age += 1) await ctx.api.as('producer').patch(`/actors/${id}`).send({ age }).expect(200);
    const all = (await history(`/actors/${id}`)).history;
    const res = await ctx.api.as('assistant').get(`/actors/${id}/history?page=2&limit=2`).expect(200);
    expect(res.body).toMatchObject({ all_changes: 5, page: 2, limit: 2 });
    expect(res.body.history).toEqual(all.slice(2, 4));
    expect(res.headers.link).toContain('rel="next"');
    const bad = await ctx.api.as('assistant').get(`/actors/${id}/history?limit=201`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_query');
  });

  it('When there is no token, then it answers 401', async () => {
    const [actor] = await insertActors(ctx.db, KEVIN);
    expect((await ctx.api.get(`/actors/${actor!.id}/history`)).status).toBe(401);
  });
});

describe('GET /movies/:id/history', () => {
  it('When a movie is created, changed and deleted, then release_date is YYYY-MM-DD in every entry and the history stays readable', async () => {
    const { id } = (await ctx.api.as('producer').post('/movies').send(PRESTIGE).expect(201)).body.new_movie;
    await ctx.api.as('producer').patch(`/movies/${id}`).send({ release_date: '2006-10-17' }).expect(200);
    await ctx.api.as('producer').delete(`/movies/${id}`).expect(200);
    const row = { id, ...PRESTIGE };
    const body = await history(`/movies/${id}`);
    expect(body).toMatchObject({ success: true, movie_id: id, all_changes: 3 });
    expect(body.history.map(({ action, before, after }: Record<string, unknown>) => ({ action, before, after }))).toEqual([
      { action: 'deleted', before: { ...row, release_date: '2006-10-17' }, after: null },
      { action: 'updated', before: row, after: { ...row, release_date: '2006-10-17' } },
      { action: 'created', before: null, after: row },
    ]);
  });
});

describe('the history of a cast', () => {
  let actor: ActorRow, movie: MovieRow;
  beforeEach(async () => {
    [actor] = (await insertActors(ctx.db, KEVIN)) as [ActorRow];
    [movie] = (await insertMovies(ctx.db, PRESTIGE)) as [MovieRow];
  });
  const entry = (character: string | null) => ({ movie_id: movie.id, actor_id: actor.id, character });
  const castPath = () => `/movies/${movie.id}/actors/${actor.id}`;

  it('When an actor is cast, renamed and uncast, then each change is one entry listed in both histories', async () => {
    await ctx.api.as('director').put(castPath()).expect(201);
    await ctx.api.as('director').put(castPath()).send({ character: 'Alfred Borden' }).expect(200);
    await ctx.api.as('director').delete(castPath()).expect(200);
    const ofMovie = (await history(`/movies/${movie.id}`)).history;
    expect(ofMovie.map(({ action, before, after, by }: Record<string, unknown>) => ({ action, before, after, by }))).toEqual([
      { action: 'cast_removed', before: entry('Alfred Borden'), after: null, by: DIRECTOR },
      { action: 'cast_updated', before: entry(null), after: entry('Alfred Borden'), by: DIRECTOR },
      { action: 'cast_added', before: null, after: entry(null), by: DIRECTOR },
    ]);
    expect((await history(`/actors/${actor.id}`)).history).toEqual(ofMovie);
    expect(await changeCount()).toBe(3);
  });

  it('When a PUT casts an actor already cast, with no body or the same character, then nothing is recorded', async () => {
    await ctx.api.as('director').put(castPath()).send({ character: 'Borden' }).expect(201);
    await ctx.api.as('director').put(castPath()).expect(200);
    await ctx.api.as('director').put(castPath()).send({ character: 'Borden' }).expect(200);
    await ctx.api.as('director').put(castPath()).send({ character: '  Borden ' }).expect(200);
    expect(await actions(`/movies/${movie.id}`)).toEqual(['cast_added']);
  });

  it.each(['actors', 'movies'] as const)(
    'When the %s row is deleted, then each cast entry it removed is a cast_removed in the other side and its own history',
    async (deleted) => {
      const [other] = await insertMovies(ctx.db, { title: 'Spectre', release_date: '2015-11-06' });
      const [diego] = await insertActors(ctx.db, { name: 'Diego', age: 21, gender: 'male' });
      await ctx.api.as('director').put(castPath()).send({ character: 'Borden' }).expect(201);
      await ctx.api.as('director').put(`/movies/${other!.id}/actors/${actor.id}`).expect(201);
      await ctx.api.as('director').put(`/movies/${movie.id}/actors/${diego!.id}`).expect(201);
      const id = deleted === 'actors' ? actor.id : movie.id;
      await ctx.api.as('producer').delete(`/${deleted}/${id}`).expect(200);

      if (deleted === 'actors') {
        expect(await actions(`/actors/${actor.id}`)).toEqual(['deleted', 'cast_removed', 'cast_removed', 'cast_added', 'cast_added']);
        const ofOther = (await history(`/movies/${other!.id}`)).history;
        expect(ofOther).toHaveLength(2);
        expect(ofOther[0]).toMatchObject({ action: 'cast_removed', before: { movie_id: other!.id, actor_id: actor.id, character: null } });
        expect(await actions(`/movies/${movie.id}`)).toEqual(['cast_removed', 'cast_added', 'cast_added']);
      } else {
        expect(await actions(`/movies/${movie.id}`)).toEqual(['deleted', 'cast_removed', 'cast_removed', 'cast_added', 'cast_added']);
        expect((await history(`/actors/${diego!.id}`)).history[0]).toMatchObject({ action: 'cast_removed', by: PRODUCER });
        expect((await history(`/actors/${actor.id}`)).history[0]).toMatchObject({ action: 'cast_removed', before: entry('Borden') });
        expect(await actions(`/movies/${other!.id}`)).toEqual(['cast_added']);
      }
    },
  );
});
