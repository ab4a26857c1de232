import { createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

/*
 * How errors differ from the original API's (docs/migrating-from-the-original.md): the shape keeps
 * `success`, `error` and `message`, but `message` is always a sentence and `code` is what a program
 * compares.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
  await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
  await insertMovies(ctx.db, { title: 'The Prestige', release_date: '2006-10-20' });
});
afterAll(() => ctx.close());

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;

describe('auth errors: message is a string, code is top-level', () => {
  it.each([
    ['no Authorization header (was authorization_header_missing)', () => undefined, 401, 'unauthorized'],
    [
      'an expired token (was token_expired)',
      () => bearer(ctx.issuer.token('producer', { iat: now() - 7200, exp: now() - 3600 })),
      401,
      'invalid_token',
    ],
    [
      'a token for another audience (was invalid_claims)',
      () => bearer(ctx.issuer.token('producer', { aud: 'https://another.api/' })),
      401,
      'invalid_token',
    ],
    ['a token that is not a JWT (was invalid_header)', () => bearer('not-a-jwt'), 401, 'invalid_token'],
    ['a token without the permission (was 403 too)', () => ctx.auth.assistant, 403, 'insufficient_permission'],
    [
      'a token with no permissions claim (was 400 invalid_claims)',
      () => bearer(ctx.issuer.token('producer', { permissions: undefined })),
      403,
      'insufficient_permission',
    ],
  ])('%s: %i with code %s', async (_label, header, status, code) => {
    const request = ctx.api.post('/actors').send({ name: 'Ana', age: 30, gender: 'female' });
    const value = header();
    const res = await (value === undefined ? request : request.set('Authorization', value));
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ success: false, error: status, code, message: expect.any(String) });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
  });
});

describe('a malformed Authorization header', () => {
  it.each(['Basic a2V2aW46c2VjcmV0', 'Bearer', 'Bearer two parts', 'token-without-scheme'])(
    '"%s" is 400 invalid_request (the original: 401 invalid_header)',
    async (header) => {
      const res = await ctx.api.get('/actors').set('Authorization', header);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        success: false,
        error: 400,
        code: 'invalid_request',
        message: 'The Authorization header must be `Bearer <token>`',
      });
    },
  );

  it('a token in the query string is 400 too (the original ignored it and answered 401)', async () => {
    const res = await ctx.api.get(`/actors?access_token=${ctx.issuer.token('producer')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });
});

describe('message texts: compare code, not message', () => {
  it('an unknown id: not "Resource Not Found" but a sentence naming it, code not_found', async () => {
    const res = await ctx.api.as('producer').patch('/actors/99').send({ age: 30 });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, error: 404, code: 'not_found', message: 'Actor 99 not found' });
  });

  it('an unknown path: code not_found, a message naming the route', async () => {
    const res = await ctx.api.as('producer').get('/casting');
    expect(res.body).toEqual({ success: false, error: 404, code: 'not_found', message: 'No route for GET /casting' });
  });

  it('a method the path does not have: not "Method Not Allowed" but code method_not_allowed, and Allow', async () => {
    const res = await ctx.api.as('producer').put('/actors/1').send({ name: 'Kevin' });
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      success: false,
      error: 405,
      code: 'method_not_allowed',
      message: 'PUT is not allowed on /actors/1; allowed: GET, HEAD, PATCH, DELETE, OPTIONS',
    });
    expect(res.headers.allow).toBe('GET, HEAD, PATCH, DELETE, OPTIONS');
  });

  it('a body that fails validation: not "Unprocessable Entity" but code validation_failed, with details', async () => {
    const res = await ctx.api.as('producer').post('/actors').send({ name: 'Ana' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation_failed', message: 'The request body is not valid' });
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['age', 'gender']);
  });
});

describe('DELETE of a movie that does not exist', () => {
  it('is 404 not_found (the original: 422)', async () => {
    const res = await ctx.api.as('producer').delete('/movies/99');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, error: 404, code: 'not_found', message: 'Movie 99 not found' });
  });
});

describe('bodies that are not JSON', () => {
  it('malformed JSON is our JSON 400 invalid_json (the original: an HTML error page)', async () => {
    const res = await ctx.api.as('producer').post('/actors').set('Content-Type', 'application/json').send('{"name": "Ana",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.code).toBe('invalid_json');
  });

  it.each([
    ['a form body', 'application/x-www-form-urlencoded', 'name=Ana&age=30&gender=female'],
    ['JSON declared in Latin-1', 'application/json; charset=iso-8859-1', '{"name":"Ana","age":30,"gender":"female"}'],
  ])('%s is 415 unsupported_media_type', async (_label, type, body) => {
    const res = await ctx.api.as('producer').post('/actors').set('Content-Type', type).send(body);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });
});
