import { createTestContext, type TestContext } from '../kit/context';
import { issuerHeader, signRaw } from './crafted-tokens';

/*
 * The verifier copies parts of a token's header (its `alg`, a `crit` name) into its error message,
 * which goes into WWW-Authenticate. A character Node refuses in a header (non-Latin-1, CR/LF) used
 * to make setting the header throw, and Express answered with its own HTML page.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
// RFC 7230 quoted-strings with nothing in them that needs a quoted-pair.
const CHALLENGE = /^Bearer realm="api", error="invalid_token", error_description="[^"\\]*"$/;

describe('a token whose header is crafted to break the WWW-Authenticate header', () => {
  const payload = () => JSON.stringify(ctx.issuer.claims('producer'));
  it.each([
    ['an alg outside Latin-1', () => issuerHeader(ctx.issuer.kid, { alg: 'x\u0100' })],
    ['an alg with CR/LF and a header after it', () => issuerHeader(ctx.issuer.kid, { alg: 'RS256\r\nX-Injected: yes' })],
    ['an alg with quotes and backslashes', () => issuerHeader(ctx.issuer.kid, { alg: 'x"\\", error="none\\' })],
    ['a crit name outside Latin-1', () => issuerHeader(ctx.issuer.kid, { crit: ['\u0100'], '\u0100': true })],
    ['a crit name with CR/LF', () => issuerHeader(ctx.issuer.kid, { crit: ['a\r\nb'], 'a\r\nb': true })],
  ])('with %s: 401 invalid_token in our JSON shape, and a challenge of printable ASCII', async (_label, header) => {
    const res = await ctx.api.get('/actors').set('Authorization', `Bearer ${signRaw(header(), payload())}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ success: false, error: 401, code: 'invalid_token', message: expect.stringMatching(/\S/) });
    expect(res.headers['www-authenticate']).toMatch(PRINTABLE_ASCII);
    expect(res.headers['www-authenticate']).toMatch(CHALLENGE);
    expect(res.headers['x-injected']).toBeUndefined();
  });

  it('is judged the same on a route that needs no token: the route answers', async () => {
    const token = signRaw(issuerHeader(ctx.issuer.kid, { alg: 'x\u0100' }), payload());
    const res = await ctx.api.get('/').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
  });
});
