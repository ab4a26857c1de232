import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { generateKeyPairSync, sign } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app';
import { TokenCache } from '../../src/auth/token-cache';
import { CountingTokenCache } from './counting-token-cache';
import { createTestContext, type TestContext, testDeps, issuerAuth } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The real app and verifier with the given cache; no clock leeway, so expiry is exact to the second. */
const appWith = (cache: TokenCache<AuthResult>): TestAgent =>
  request(
    createApp({
      ...testDeps(),
      db: ctx.db,
      auth: issuerAuth(ctx.issuer.url, { tokenCache: cache, clockTolerance: 0 }),
      logger: pino({ level: 'silent' }),
    }),
  );

const answer = (res: request.Response) => ({ status: res.status, code: res.body.code, challenge: res.headers['www-authenticate'] });
const bearer = (token: string) => `Bearer ${token}`;
const sleepUntil = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now()) + 20));

describe('authentication with the token cache', () => {
  it('answers exactly as the uncached verifier for every variant of a request whose token is cached', async () => {
    const cache = new CountingTokenCache<AuthResult>({ maxEntries: 100, ttlMs: 60_000 });
    const cached = appWith(cache);
    const plain = appWith(new TokenCache({ maxEntries: 0, ttlMs: 0 }));
    const genuine = ctx.issuer.token('director');
    await cached.get('/actors').set('Authorization', bearer(genuine)).expect(200);
    expect(cache.size).toBe(1);

    const [h, p, s] = genuine.split('.') as [string, string, string];
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const resigned = `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), otherKey).toString('base64url')}`;
    const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    const variants: [string, (agent: TestAgent) => request.Test][] = [
      ['the cached token', (a) => a.get('/actors').set('Authorization', bearer(genuine))],
      ['its claims under another key’s signature', (a) => a.get('/actors').set('Authorization', bearer(resigned))],
      ['its claims with a changed signature', (a) => a.get('/actors').set('Authorization', bearer(flipped))],
      ['its claims with no signature', (a) => a.get('/actors').set('Authorization', bearer(`${h}.${p}.`))],
      ['a lower-case scheme', (a) => a.get('/actors').set('Authorization', `bearer ${genuine}`)],
      ['two spaces', (a) => a.get('/actors').set('Authorization', `Bearer  ${genuine}`)],
      ['a trailing word', (a) => a.get('/actors').set('Authorization', `Bearer ${genuine} x`)],
      ['a second token in the query', (a) => a.get(`/actors?access_token=${genuine}`).set('Authorization', bearer(genuine))],
      ['an invalid Host', (a) => a.get('/actors').set('Authorization', bearer(genuine)).set('Host', 'bad host')],
      [
        'an invalid forwarded host',
        (a) => a.get('/actors').set('Authorization', bearer(genuine)).set('X-Forwarded-Host', 'evil.example/x'),
      ],
      ['a write it lacks the permission for', (a) => a.post('/movies').set('Authorization', bearer(genuine)).send({})],
      ...Object.entries(ctx.issuer.forgeries('director')).map(([label, token]): [string, (agent: TestAgent) => request.Test] => [
        label,
        (a) => a.get('/actors').set('Authorization', bearer(token)),
      ]),
    ];
    for (const [label, send] of variants) {
      const [withCache, without] = [answer(await send(cached)), answer(await send(plain))];
      expect({ label, ...withCache }).toEqual({ label, ...without });
    }
    expect(answer(await variants[1]![1](cached)).status).toBe(401);
    // Only the genuine token was ever stored; the plain GET and the POST were served from the cache,
    // every odd request went to the verifier.
    expect(cache.size).toBe(1);
    expect(cache.hits).toBe(2);
  });

  it('refuses a cached token once it expires, as the verifier does', async () => {
    const cache = new CountingTokenCache<AuthResult>({ maxEntries: 100, ttlMs: 60_000 });
    const api = appWith(cache);
    // Token times are whole seconds: this token has one to two seconds to live.
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = ctx.issuer.token('assistant', { exp });
    const get = () => api.get('/actors').set('Authorization', bearer(token));

    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect({ size: cache.size, hits: cache.hits }).toEqual({ size: 1, hits: 1 });

    await sleepUntil(exp * 1000);
    const expired = await get();
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('invalid_token');
    expect(cache.size).toBe(0);
  });

  it('keeps checking permissions on a cached token: 403 and nothing written', async () => {
    const cache = new CountingTokenCache<AuthResult>({ maxEntries: 100, ttlMs: 60_000 });
    const api = appWith(cache);
    const assistant = ctx.issuer.token('assistant');
    await api.get('/actors').set('Authorization', bearer(assistant)).expect(200);
    const res = await api.post('/actors').set('Authorization', bearer(assistant)).send({ name: 'X', age: 1, gender: 'f' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_permission');
    expect(cache.hits).toBe(1);
    expect(await ctx.db.query(`SELECT id FROM actors WHERE name = 'X'`)).toEqual([]);
  });

  it('shares a frozen payload between requests, so no handler can change what the next one sees', async () => {
    const cache = new TokenCache<AuthResult>({ maxEntries: 100, ttlMs: 60_000 });
    const token = ctx.issuer.token('assistant');
    await appWith(cache).get('/actors').set('Authorization', bearer(token)).expect(200);
    const stored = cache.get(token)!;
    expect(Object.isFrozen(stored.payload)).toBe(true);
    expect(Object.isFrozen(stored.payload.permissions)).toBe(true);
  });
});
