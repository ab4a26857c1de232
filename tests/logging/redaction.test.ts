import { capturedLog } from '../kit/captured-log';
import { createTestContext, type TestContext } from '../kit/context';

// A token sent in the URL is refused (or simply not used), but the request is still logged: the
// access log must not write it, whatever the parameter is called, wherever it is and however it is
// encoded. Each test request carries a real signed token of its own.

let ctx: TestContext;
const { logger, lines: raw, lineFor: logLineFor } = capturedLog();
beforeAll(async () => {
  ctx = await createTestContext({ logger });
});
afterAll(() => ctx.close());
beforeEach(() => void (raw.length = 0));

/** Every character as `%XX`, as an over-eager client encodes. */
const encodeAll = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
const encodeDots = (token: string, as: string) => token.replaceAll('.', as);

/** Where a client may put the token `t`, and the URL the log should show for it. */
const PLACES: [string, (t: string) => string, string][] = [
  ['the access_token parameter', (t) => `/actors?access_token=${t}`, '/actors?access_token=[redacted]'],
  ['a %-encoded access_token name', (t) => `/actors?access_tok%65n=${t}`, '/actors?access_tok%65n=[redacted]'],
  ['a parameter named jwt', (t) => `/actors?jwt=${t}`, '/actors?jwt=[redacted]'],
  ['a parameter among others', (t) => `/actors?limit=1&q=${t}&offset=0`, '/actors?limit=1&q=[redacted]&offset=0'],
  ['a bracketed parameter name', (t) => `/actors?a[b]=${t}`, '/actors?a[b]=[redacted]'],
  ['a value after "Bearer "', (t) => `/actors?auth=Bearer%20${t}`, '/actors?auth=[redacted]'],
  ['a value after "Bearer+"', (t) => `/actors?auth=Bearer+${t}`, '/actors?auth=[redacted]'],
  ['a value glued to other text', (t) => `/actors?q=abc${t}`, '/actors?q=[redacted]'],
  ['a value with every character %-encoded', (t) => `/actors?q=${encodeAll(t)}`, '/actors?q=[redacted]'],
  ['a value with %2E for its dots', (t) => `/actors?q=${encodeDots(t, '%2E')}`, '/actors?q=[redacted]'],
  ['a value encoded twice (%252e)', (t) => `/actors?q=${encodeDots(t, '%252e')}`, '/actors?q=[redacted]'],
  ['a value with a broken %-sequence next to it', (t) => `/actors?q=%E0%A4%A${t}`, '/actors?q=[redacted]'],
  ['a parameter name', (t) => `/actors?${t}=1`, '/actors?[redacted]=1'],
  ['a bare parameter', (t) => `/actors?${t}`, '/actors?[redacted]'],
  ['the id in the path', (t) => `/actors/${t}`, '/actors/[redacted]'],
  ['a path segment, %-encoded', (t) => `/actors/${encodeAll(t)}/movies`, '/actors/[redacted]/movies'],
  ['the first path segment', (t) => `/${t}/movies`, '/[redacted]/movies'],
  ['a path segment with %2e for its dots', (t) => `/movies/1/actors/${encodeDots(t, '%2e')}`, '/movies/1/actors/[redacted]'],
];

/** The log text and what it says once %-decoded, once and again, as someone reading it might. */
function readings(text: string): string[] {
  const forms = [text];
  for (let i = 0; i < 3; i += 1)
    forms.push(forms.at(-1)!.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  return forms;
}

const lineFor = async (requestId: string) => (await logLineFor(requestId)).line;

describe('the access log never writes a JWT from the request line', () => {
  it.each(PLACES)('when it is in %s', async (_where, place, logged) => {
    const token = ctx.issuer.token('producer', { jti: `leak-${Math.random()}` });
    const url = place(token);
    const res = await ctx.api.get(url).set('X-Request-Id', 'leak-1');
    expect(res.status).toBeLessThan(500);
    expect((await lineFor('leak-1')).req).toMatchObject({ url: logged });
    const [, payload, signature] = token.split('.') as [string, string, string];
    for (const reading of readings(raw.join('\n'))) {
      expect(reading).not.toContain(payload);
      expect(reading).not.toContain(signature);
    }
  });

  it('when the request is refused for it, the line still shows what was asked and why it failed', async () => {
    const token = ctx.issuer.token('director');
    const res = await ctx.api.get(`/actors?access_token=${token}&limit=2`).set('X-Request-Id', 'leak-2');
    expect(res.status).toBe(400);
    expect(await lineFor('leak-2')).toMatchObject({ req: { url: '/actors?access_token=[redacted]&limit=2' }, res: { statusCode: 400 } });
  });

  it('keeps URLs without a token as they are, dots and %-encodings included', async () => {
    for (const url of ['/actors?limit=2&offset=1', '/movies?title=Mr.%20Smith%20Goes.To.Washington', '/actors/1.5', '/movies/%E0%A4%A']) {
      await ctx.api.get(url).set('X-Request-Id', 'plain');
      expect((await lineFor('plain')).req).toMatchObject({ url });
      raw.length = 0;
    }
  });
});

describe('the request id', () => {
  it('when X-Request-Id holds a JWT (a short HS256 one fits its 200 characters), then a new id replaces it and no line holds the token', async () => {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1' })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
    expect(token.length).toBeLessThanOrEqual(200);
    const res = await ctx.api.get('/health').set('X-Request-Id', token);
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await lineFor(id);
    expect(raw.join('\n')).not.toContain(token);
  });
});
