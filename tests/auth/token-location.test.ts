import { countRows, createTestContext, insertActors, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const token = () => ctx.auth.producer.slice('Bearer '.length);

const expectRefused = (res: { status: number; body: unknown; headers: Record<string, string> }, where: string) => {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    success: false,
    error: 400,
    code: 'invalid_request',
    message: `Access tokens are accepted only in the Authorization header (Bearer), not in the ${where}`,
  });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_request"/);
};

describe('tokens outside the Authorization header', () => {
  it('refuses a valid token in ?access_token= with 400 instead of accepting it', async () => {
    await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    expectRefused(await ctx.api.get(`/actors?access_token=${token()}`), 'query string');
  });

  it('refuses ?access_token= even next to a valid header, and on public and unknown routes', async () => {
    expectRefused(await ctx.api.as('producer').get('/actors?access_token=x'), 'query string');
    expectRefused(await ctx.api.get('/health?access_token=x'), 'query string');
    expectRefused(await ctx.api.get('/nowhere?page=1&access_token='), 'query string');
  });

  it('refuses a valid token in a form body with 400 and stores nothing', async () => {
    const res = await ctx.api.post('/actors').type('form').send({ access_token: token(), name: 'Kevin', age: '22', gender: 'male' });
    expectRefused(res, 'request body');
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it('refuses a form-body token on a DELETE and deletes nothing', async () => {
    const [a] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    expectRefused(await ctx.api.delete(`/actors/${a!.id}`).type('form').send(`access_token=${token()}`), 'request body');
    expect(await countRows(ctx.db, 'actors')).toBe(1);
  });

  it('still answers 415 to a form body without a token from an authorized caller', async () => {
    const res = await ctx.api.as('producer').post('/actors').type('form').send({ name: 'Kevin' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('answers a form body it cannot read (unknown encoding, over 100 kB) as the route would: 405 here, not 415', async () => {
    const unknownEncoding = await ctx.api.post('/movies/2').set('Content-Encoding', 'x-unknown').type('form').send('a=1');
    expect(unknownEncoding.status).toBe(405);
    const tooLarge = await ctx.api
      .post('/movies/2')
      .type('form')
      .send(`a=${'x'.repeat(110_000)}`);
    expect(tooLarge.status).toBe(405);
  });

  it('accepts the same token in the Authorization header', async () => {
    const res = await ctx.api.get('/actors').set('Authorization', `Bearer ${token()}`);
    expect(res.status).toBe(200);
  });
});
