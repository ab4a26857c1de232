import express from 'express';
import request from 'supertest';
import { cacheableToken, isCacheable } from '../../src/auth/cacheable-request';

/*
 * A request's verified token may be served from the token cache only when the verifier would judge
 * the request by that token alone; every other request goes to the verifier, which may answer it
 * differently (400 for a bad Host, two tokens, a malformed header) whatever the token.
 */
const app = express();
app.use(express.json());
app.use((req, res) => void res.json({ cacheable: isCacheable(req), token: cacheableToken(req) ?? null }));
const api = request(app);
type Agent = typeof api;

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_';

describe('isCacheable', () => {
  it('accepts exactly `Bearer <jwt>` on an ordinary request, keyed by the whole token', async () => {
    const res = await api.get('/actors?page=2').set('Authorization', `Bearer ${JWT}`);
    expect(res.body).toEqual({ cacheable: true, token: JWT });
  });

  it.each([
    ['no Authorization header', undefined],
    ['a lower-case scheme', `bearer ${JWT}`],
    ['another scheme', `Basic ${JWT}`],
    ['two spaces', `Bearer  ${JWT}`],
    ['a trailing word', `Bearer ${JWT} x`],
    ['two parts', 'Bearer a.b'],
    ['four parts', 'Bearer a.b.c.d'],
    ['no signature', 'Bearer a.b.'],
    ['a character outside base64url', 'Bearer a.b.c='],
  ])('refuses %s', async (_label, authorization) => {
    const req = api.get('/actors');
    const res = await (authorization === undefined ? req : req.set('Authorization', authorization));
    expect(res.body).toEqual({ cacheable: false, token: null });
  });

  it.each([
    ['a token in the query', (r: Agent) => r.get(`/actors?access_token=${JWT}`)],
    ['access_token anywhere in the URL', (r: Agent) => r.get('/actors?q=access_token')],
    ['a token in the body', (r: Agent) => r.post('/actors').send({ access_token: JWT })],
    ['an X-Forwarded-Host', (r: Agent) => r.get('/actors').set('X-Forwarded-Host', 'api.example')],
    ['a Host with a space', (r: Agent) => r.get('/actors').set('Host', 'bad host')],
    ['a Host with a port past 65535', (r: Agent) => r.get('/actors').set('Host', 'api.example:65536')],
    ['a path that starts with //', (r: Agent) => r.get('//evil.example/actors')],
    ['a URL as the path', (r: Agent) => r.get('/http://evil.example/actors')],
  ])('refuses a plain bearer token with %s', async (_label, send) => {
    const res = await send(api).set('Authorization', `Bearer ${JWT}`);
    expect(res.body).toEqual({ cacheable: false, token: null });
  });

  it.each(['api.example:65535', '[::1]:3000', 'localhost'])('accepts the Host %s', async (host) => {
    const res = await api.get('/actors').set('Host', host).set('Authorization', `Bearer ${JWT}`);
    expect(res.body.cacheable).toBe(true);
  });
});
