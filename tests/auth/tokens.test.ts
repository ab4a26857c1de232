import { ROLES, type Permission, type Role } from '../../src/auth/permissions';
import { createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type Ids = { actor: number; movie: number };
type Endpoint = {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: (ids: Ids) => string;
  permission: Permission;
  body?: object;
  ok: number;
};

const ENDPOINTS: Endpoint[] = [
  { method: 'get', path: () => '/actors', permission: 'get:actors', ok: 200 },
  { method: 'get', path: (ids) => `/actors/${ids.actor}`, permission: 'get:actors', ok: 200 },
  { method: 'post', path: () => '/actors', permission: 'post:actors', body: { name: 'New', age: 30, gender: 'female' }, ok: 201 },
  { method: 'patch', path: (ids) => `/actors/${ids.actor}`, permission: 'patch:actors', body: { age: 40 }, ok: 200 },
  { method: 'delete', path: (ids) => `/actors/${ids.actor}`, permission: 'delete:actors', ok: 200 },
  { method: 'get', path: () => '/movies', permission: 'get:movies', ok: 200 },
  { method: 'get', path: (ids) => `/movies/${ids.movie}`, permission: 'get:movies', ok: 200 },
  { method: 'post', path: () => '/movies', permission: 'post:movies', body: { title: 'New', release_date: '2020-01-01' }, ok: 201 },
  { method: 'patch', path: (ids) => `/movies/${ids.movie}`, permission: 'patch:movies', body: { title: 'Changed' }, ok: 200 },
  { method: 'delete', path: (ids) => `/movies/${ids.movie}`, permission: 'delete:movies', ok: 200 },
];

let ids: Ids;
beforeEach(async () => {
  await ctx.reset();
  const [actor] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
  const [movie] = await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' });
  ids = { actor: actor!.id, movie: movie!.id };
});

const snapshot = async () => ({
  actors: await ctx.db.query('SELECT id, name, age, gender FROM actors ORDER BY id'),
  movies: await ctx.db.query('SELECT id, title, release_date FROM movies ORDER BY id'),
});

const call = (e: Endpoint, authorization?: string) => {
  const req = ctx.api[e.method](e.path(ids));
  if (authorization) req.set('Authorization', authorization);
  return e.body ? req.send(e.body) : req;
};

const label = (e: Endpoint) => `${e.method.toUpperCase()} ${e.path({ actor: 0, movie: 0 }).replace(/\/0$/, '/:id')}`;
const MATRIX = ENDPOINTS.flatMap((e) => (Object.keys(ROLES) as Role[]).map((role) => [label(e), role, e] as const));

describe('RBAC: every endpoint × every role', () => {
  it.each(MATRIX)('%s as %s: allowed exactly when the role has the permission', async (_label, role, endpoint) => {
    const allowed = (ROLES[role] as readonly string[]).includes(endpoint.permission);
    const before = await snapshot();
    const res = await call(endpoint, ctx.auth[role]);
    if (allowed) {
      expect(res.status).toBe(endpoint.ok);
      expect(res.body.success).toBe(true);
    } else {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ success: false, error: 403, code: 'insufficient_permission' });
      expect(res.body.message).toContain(endpoint.permission);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="insufficient_scope"/);
      expect(await snapshot()).toEqual(before);
    }
  });

  it.each(ENDPOINTS.map((e) => [label(e), e] as const))(
    '%s without a token: 401 with WWW-Authenticate, nothing changes',
    async (_label, endpoint) => {
      const before = await snapshot();
      const res = await call(endpoint);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
      expect(res.body).toMatchObject({ success: false, error: 401 });
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe('token checks', () => {
  const listActors = (authorization: string) => ctx.api.get('/actors').set('Authorization', authorization);

  it.each([
    'signed by another key',
    'signed by another key with an unknown kid',
    'expired',
    'for another audience',
    'from another issuer',
    'with alg none',
    'HS256 signed with the public key',
    'with a tampered payload',
    'garbage',
  ])('returns 401 invalid_token for a token %s', async (kind) => {
    const res = await listActors(`Bearer ${ctx.issuer.forgeries('producer')[kind]}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, error: 401, code: 'invalid_token' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_token"/);
  });

  it('refuses a write with a forged token and changes nothing', async () => {
    const before = await snapshot();
    const res = await ctx.api
      .delete(`/movies/${ids.movie}`)
      .set('Authorization', `Bearer ${ctx.issuer.forgeries('producer')['signed by another key']}`);
    expect(res.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['Bearer with no token', 'Bearer'],
  ])('returns 400 invalid_request for %s', async (_label, header) => {
    const res = await listActors(header);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: 400, code: 'invalid_request' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('returns 403, not 500, for a valid token without a permissions claim', async () => {
    const res = await listActors(`Bearer ${ctx.issuer.token('producer', { permissions: undefined })}`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_permission');
  });

  it.each([
    ['a string', 'get:actors'],
    ['an object', { 'get:actors': true }],
    ['numbers', [1, 2]],
  ])('returns 403 when the permissions claim is %s', async (_label, permissions) => {
    const res = await listActors(`Bearer ${ctx.issuer.token('producer', { permissions })}`);
    expect(res.status).toBe(403);
  });

  it('reads permissions, not OAuth scopes', async () => {
    const res = await listActors(`Bearer ${ctx.issuer.token('assistant', { permissions: [], scope: 'get:actors' })}`);
    expect(res.status).toBe(403);
  });

  it('accepts a token whose audience list contains the API', async () => {
    const token = ctx.issuer.token('assistant', { aud: ['https://other/', ctx.issuer.claims('assistant').aud] });
    expect((await listActors(`Bearer ${token}`)).status).toBe(200);
  });
});
