import { ROLES, type Role } from '../../src/auth/permissions';
import { createTestContext, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const bearer = (token: string) => `Bearer ${token}`;

describe('GET /me', () => {
  it.each(Object.keys(ROLES) as Role[])('When the %s asks, then it answers its sub and its permissions, sorted', async (role) => {
    const res = await ctx.api.as(role).get('/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, sub: expect.any(String), permissions: [...ROLES[role]].sort() });
    expect(res.body.sub.length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('When the token lists its permissions out of order, then they come back sorted', async () => {
    const token = ctx.issuer.token('producer', { sub: 'auth0|ana', permissions: ['post:movies', 'delete:actors', 'get:actors'] });
    const res = await ctx.api.get('/me').set('Authorization', bearer(token));
    expect(res.body).toEqual({ success: true, sub: 'auth0|ana', permissions: ['delete:actors', 'get:actors', 'post:movies'] });
  });

  it('When the token has no permissions claim, then permissions is [] (no permission is needed to ask)', async () => {
    const token = ctx.issuer.token('assistant', { sub: 'auth0|nobody', permissions: undefined });
    const res = await ctx.api.get('/me').set('Authorization', bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, sub: 'auth0|nobody', permissions: [] });
  });

  it('When the token carries permissions this API does not know, then they are listed too, with nothing else in the claim', async () => {
    const token = ctx.issuer.token('assistant', { permissions: ['read:reports', 42, 'get:movies'] });
    const res = await ctx.api.get('/me').set('Authorization', bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.permissions).toEqual(['get:movies', 'read:reports']);
  });

  it('When there is no token, then it answers 401 with the Bearer challenge', async () => {
    const res = await ctx.api.get('/me');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
    expect(res.body).toMatchObject({ success: false, error: 401 });
  });

  it('When the token is invalid (expired), then it answers 401 invalid_token', async () => {
    const res = await ctx.api.get('/me').set('Authorization', bearer(ctx.issuer.forgeries('assistant').expired!));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('When POST /me, then it answers 405 with Allow', async () => {
    const res = await ctx.api.as('producer').post('/me');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});
