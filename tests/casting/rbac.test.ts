import type { Role } from '../../src/auth/permissions';
import { createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

let movieId: number, actorId: number, castActorId: number;
beforeEach(async () => {
  await ctx.reset();
  const [a, b] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' }, { name: 'Diego', age: 21, gender: 'male' });
  const [m] = await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' });
  [movieId, actorId, castActorId] = [m!.id, a!.id, b!.id];
  await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2)', [movieId, castActorId]);
});

const castRows = () => ctx.db.query('SELECT movie_id, actor_id FROM movie_actors ORDER BY actor_id');

type Endpoint = { method: 'get' | 'put' | 'delete'; path: () => string; ok: number };
const ENDPOINTS: Record<string, Endpoint> = {
  'GET /movies/:id/actors': { method: 'get', path: () => `/movies/${movieId}/actors`, ok: 200 },
  'GET /actors/:id/movies': { method: 'get', path: () => `/actors/${castActorId}/movies`, ok: 200 },
  'PUT /movies/:id/actors/:actorId': { method: 'put', path: () => `/movies/${movieId}/actors/${actorId}`, ok: 201 },
  'DELETE /movies/:id/actors/:actorId': { method: 'delete', path: () => `/movies/${movieId}/actors/${castActorId}`, ok: 200 },
};

// The roles' permissions (src/auth/permissions.ts): changing a cast needs patch:movies, which the assistant lacks.
const MATRIX: [string, Role, 'ok' | 403][] = [
  ['GET /movies/:id/actors', 'assistant', 'ok'],
  ['GET /movies/:id/actors', 'director', 'ok'],
  ['GET /movies/:id/actors', 'producer', 'ok'],
  ['GET /actors/:id/movies', 'assistant', 'ok'],
  ['GET /actors/:id/movies', 'director', 'ok'],
  ['GET /actors/:id/movies', 'producer', 'ok'],
  ['PUT /movies/:id/actors/:actorId', 'assistant', 403],
  ['PUT /movies/:id/actors/:actorId', 'director', 'ok'],
  ['PUT /movies/:id/actors/:actorId', 'producer', 'ok'],
  ['DELETE /movies/:id/actors/:actorId', 'assistant', 403],
  ['DELETE /movies/:id/actors/:actorId', 'director', 'ok'],
  ['DELETE /movies/:id/actors/:actorId', 'producer', 'ok'],
];

describe('casting endpoints: the RBAC matrix', () => {
  it.each(MATRIX)('%s as %s answers %s', async (name, role, expected) => {
    const { method, path, ok } = ENDPOINTS[name]!;
    const before = await castRows();
    const res = await ctx.api.as(role)[method](path());
    if (expected === 'ok') {
      expect(res.status).toBe(ok);
      expect(res.body.success).toBe(true);
      return;
    }
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, error: 403, code: 'insufficient_permission' });
    expect(res.body.message).toContain('patch:movies');
    expect(await castRows()).toEqual(before);
  });

  it.each(Object.keys(ENDPOINTS))('%s without a token answers 401 with WWW-Authenticate and changes nothing', async (name) => {
    const { method, path } = ENDPOINTS[name]!;
    const before = await castRows();
    const res = await ctx.api[method](path());
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await castRows()).toEqual(before);
  });

  it.each(Object.keys(ENDPOINTS))('%s with a forged token answers 401', async (name) => {
    const { method, path } = ENDPOINTS[name]!;
    const forged = ctx.issuer.forgeries('producer')['signed by another key']!;
    const res = await ctx.api[method](path()).set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
  });

  it('PUT with a token that has no permissions claim answers 403', async () => {
    const token = ctx.issuer.token('producer', { permissions: undefined });
    const res = await ctx.api.put(ENDPOINTS['PUT /movies/:id/actors/:actorId']!.path()).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(await castRows()).toHaveLength(1);
  });
});

describe('casting endpoints: methods', () => {
  it.each([
    ['post', () => `/movies/${movieId}/actors`, 'GET, HEAD, OPTIONS'],
    ['delete', () => `/actors/${castActorId}/movies`, 'GET, HEAD, OPTIONS'],
    ['get', () => `/movies/${movieId}/actors/${actorId}`, 'PUT, DELETE, OPTIONS'],
    ['patch', () => `/movies/${movieId}/actors/${actorId}`, 'PUT, DELETE, OPTIONS'],
  ] as const)('%s %s answers 405 with Allow', async (method, path, allow) => {
    const res = await ctx.api.as('producer')[method](path());
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body.code).toBe('method_not_allowed');
  });
});
