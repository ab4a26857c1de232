import { countRows, createTestContext, insertActors, insertMovies, type ActorRow, type MovieRow, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

let kevin: ActorRow, diego: ActorRow, daniel: ActorRow;
let prestige: MovieRow, spectre: MovieRow;
beforeEach(async () => {
  await ctx.reset();
  [kevin, diego, daniel] = (await insertActors(
    ctx.db,
    { name: 'Kevin', age: 22, gender: 'male' },
    { name: 'Diego', age: 21, gender: 'male' },
    { name: 'Daniel', age: 32, gender: 'male' },
  )) as [ActorRow, ActorRow, ActorRow];
  [prestige, spectre] = (await insertMovies(
    ctx.db,
    { title: 'The Prestige', release_date: '2006-10-20' },
    { title: 'Spectre', release_date: '2015-11-06' },
  )) as [MovieRow, MovieRow];
});

const castRows = () =>
  ctx.db.query<{ movie_id: number; actor_id: number }>('SELECT movie_id, actor_id FROM movie_actors ORDER BY movie_id, actor_id');
/** A row as a cast list shows it: with the character played (none named here). */
const inCast = <T extends object>(row: T, character: string | null = null) => ({ ...row, character });
const cast = (movie: MovieRow, ...actors: ActorRow[]) =>
  Promise.all(actors.map((a) => ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2)', [movie.id, a.id])));

describe('PUT /movies/:id/actors/:actorId', () => {
  it('returns 201 the first time and 200 after, with one cast row', async () => {
    const first = await ctx.api.as('director').put(`/movies/${prestige.id}/actors/${kevin.id}`);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ success: true, movie_id: prestige.id, actor_id: kevin.id, character: null });
    const again = await ctx.api.as('producer').put(`/movies/${prestige.id}/actors/${kevin.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ success: true, movie_id: prestige.id, actor_id: kevin.id, character: null });
    expect(await castRows()).toEqual([{ movie_id: prestige.id, actor_id: kevin.id }]);
  });

  it.each([
    ['the movie', () => [999999, kevin.id], 'Movie 999999 not found'],
    ['the actor', () => [prestige.id, 888888], 'Actor 888888 not found'],
    ['both', () => [999999, 888888], 'Movie 999999 and actor 888888 not found'],
  ])('returns 404 naming %s when it does not exist, and stores nothing', async (_label, ids, message) => {
    const [movieId, actorId] = ids();
    const res = await ctx.api.as('director').put(`/movies/${movieId}/actors/${actorId}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: 404, code: 'not_found', message });
    expect(await countRows(ctx.db, 'movie_actors')).toBe(0);
  });

  it.each([
    ['abc', '1', 'Movie'],
    ['1', '0', 'Actor'],
    ['1.5', '1', 'Movie'],
    ['1', '99999999999', 'Actor'],
  ])('returns 404 for malformed ids /movies/%s/actors/%s', async (movieId, actorId, what) => {
    const res = await ctx.api.as('director').put(`/movies/${movieId}/actors/${actorId}`);
    expect(res.status).toBe(404);
    expect(res.body.message).toContain(what);
  });
});

describe('DELETE /movies/:id/actors/:actorId', () => {
  it('removes only that cast entry', async () => {
    await cast(prestige, kevin, diego);
    await cast(spectre, kevin);
    const res = await ctx.api.as('director').delete(`/movies/${prestige.id}/actors/${kevin.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, movie_id: prestige.id, actor_id: kevin.id });
    expect(await castRows()).toEqual([
      { movie_id: prestige.id, actor_id: diego.id },
      { movie_id: spectre.id, actor_id: kevin.id },
    ]);
  });

  it('returns 404 when the actor is not cast in the movie, and 404 the second time', async () => {
    await cast(spectre, kevin);
    const res = await ctx.api.as('director').delete(`/movies/${prestige.id}/actors/${kevin.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: `Actor ${kevin.id} is not cast in movie ${prestige.id}` });
    await ctx.api.as('director').delete(`/movies/${spectre.id}/actors/${kevin.id}`).expect(200);
    await ctx.api.as('director').delete(`/movies/${spectre.id}/actors/${kevin.id}`).expect(404);
  });

  it.each([
    ['the movie', () => [999999, kevin.id], 'Movie 999999 not found'],
    ['the actor', () => [prestige.id, 888888], 'Actor 888888 not found'],
  ])('returns 404 naming %s when it does not exist', async (_label, ids, message) => {
    const [movieId, actorId] = ids();
    const res = await ctx.api.as('director').delete(`/movies/${movieId}/actors/${actorId}`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(message);
  });
});

describe('GET /movies/:id/actors', () => {
  it('lists the cast in id order with all_actors, page and limit', async () => {
    await cast(prestige, daniel, kevin, diego);
    const res = await ctx.api.as('assistant').get(`/movies/${prestige.id}/actors`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      movie_id: prestige.id,
      actors: [kevin, diego, daniel].map((a) => inCast(a)),
      all_actors: 3,
      page: 1,
      limit: 50,
    });
  });

  it('pages while all_actors counts the whole cast', async () => {
    await cast(prestige, daniel, kevin, diego);
    const res = await ctx.api.as('assistant').get(`/movies/${prestige.id}/actors?page=2&limit=2`);
    expect(res.body).toMatchObject({ actors: [daniel], all_actors: 3, page: 2, limit: 2 });
  });

  it('returns 200 with [] for a movie without a cast, and 404 for an unknown movie', async () => {
    const empty = await ctx.api.as('assistant').get(`/movies/${spectre.id}/actors`);
    expect(empty.body).toMatchObject({ success: true, actors: [], all_actors: 0 });
    const missing = await ctx.api.as('assistant').get('/movies/999999/actors');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Movie 999999 not found');
  });

  it.each(['page=0', 'limit=201', 'sort=name', 'q=x'])('returns 400 invalid_query for ?%s', async (query) => {
    const res = await ctx.api.as('assistant').get(`/movies/${prestige.id}/actors?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_query');
    expect(res.body.message).toContain(query.split('=')[0]);
  });
});

describe('GET /actors/:id/movies', () => {
  it('lists the movies of an actor in id order with all_movies, page and limit', async () => {
    await cast(spectre, kevin);
    await cast(prestige, kevin);
    const res = await ctx.api.as('assistant').get(`/actors/${kevin.id}/movies`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      actor_id: kevin.id,
      movies: [prestige, spectre].map((m) => inCast(m)),
      all_movies: 2,
      page: 1,
      limit: 50,
    });
    const page2 = await ctx.api.as('assistant').get(`/actors/${kevin.id}/movies?limit=1&page=2`);
    expect(page2.body).toMatchObject({ movies: [inCast(spectre)], all_movies: 2, page: 2, limit: 1 });
  });

  it('returns 200 with [] for an actor in no movie, and 404 for an unknown actor', async () => {
    const empty = await ctx.api.as('assistant').get(`/actors/${daniel.id}/movies`);
    expect(empty.body).toMatchObject({ success: true, movies: [], all_movies: 0 });
    const missing = await ctx.api.as('assistant').get('/actors/888888/movies');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Actor 888888 not found');
  });
});

describe('GET /movies/:id and GET /actors/:id', () => {
  it('embed the cast (actors) and the filmography (movies) in id order', async () => {
    await cast(prestige, diego, kevin);
    await cast(spectre, kevin);
    const movie = await ctx.api.as('assistant').get(`/movies/${prestige.id}`);
    expect(movie.body).toEqual({ success: true, movie: { ...prestige, actors: [inCast(kevin), inCast(diego)] } });
    const actor = await ctx.api.as('assistant').get(`/actors/${kevin.id}`);
    expect(actor.body).toEqual({ success: true, actor: { ...kevin, movies: [inCast(prestige), inCast(spectre)] } });
  });

  it('embed [] when there is no cast entry', async () => {
    expect((await ctx.api.as('assistant').get(`/movies/${spectre.id}`)).body.movie.actors).toEqual([]);
    expect((await ctx.api.as('assistant').get(`/actors/${daniel.id}`)).body.actor.movies).toEqual([]);
  });
});

describe('deleting a movie or an actor', () => {
  it('DELETE /movies/:id removes its cast entries and no other, with the usual answer', async () => {
    await cast(prestige, kevin, diego);
    await cast(spectre, kevin);
    const res = await ctx.api.as('producer').delete(`/movies/${prestige.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      deleted_movie_id: prestige.id,
      deleted_movie: prestige,
      number_of_movies_before: 2,
      number_of_movies_after: 1,
    });
    expect(await castRows()).toEqual([{ movie_id: spectre.id, actor_id: kevin.id }]);
  });

  it('DELETE /actors/:id removes its cast entries and no other, with the usual answer', async () => {
    await cast(prestige, kevin, diego);
    await cast(spectre, kevin);
    const res = await ctx.api.as('director').delete(`/actors/${kevin.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      deleted_actor_id: kevin.id,
      deleted_actor: kevin,
      number_of_actors_before: 3,
      number_of_actors_after: 2,
    });
    expect(await castRows()).toEqual([{ movie_id: prestige.id, actor_id: diego.id }]);
    expect((await ctx.api.as('assistant').get(`/movies/${spectre.id}`)).body.movie.actors).toEqual([]);
  });
});
