import type { AuthResult } from 'express-oauth2-jwt-bearer';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { TokenCache } from '../../src/auth/token-cache';
import { createTestContext, type TestContext, testDeps, issuerAuth } from '../kit/context';
import { documentConformance } from '../kit/openapi-check';
import { issuerHeader, signRaw } from './crafted-tokens';

/*
 * Claims the verifier library lets through when the signature is the issuer's: an `iat` in the
 * future, an `exp` that JSON reads as Infinity, no `sub`. Each is refused, and never cached.
 */
let ctx: TestContext;
const conformance = documentConformance();
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
  conformance.assertNone();
});

const TOLERANCE_S = 5;
/** The real app and verifier, with a token cache of its own to look into. */
const appWithCache = () => {
  const cache = new TokenCache<AuthResult>({ maxEntries: 100, ttlMs: 60_000 });
  const app = createApp({
    ...testDeps(),
    db: ctx.db,
    auth: issuerAuth(ctx.issuer.url, { tokenCache: cache, clockTolerance: TOLERANCE_S }),
    logger: pino({ level: 'silent' }),
  });
  return { api: request(conformance.wrap(app)), cache };
};

const now = () => Math.floor(Date.now() / 1000);
/** The producer's claims as JSON text without `omit`, and with `raw` written into it verbatim (`"exp":1e309`). */
const claimsJson = (omit: string[], raw = '') => {
  const claims: Record<string, unknown> = ctx.issuer.claims('producer');
  for (const name of omit) delete claims[name];
  const json = JSON.stringify(claims);
  return raw ? `${json.slice(0, -1)},${raw}}` : json;
};
const tokenOf = (payloadJson: string) => `Bearer ${signRaw(issuerHeader(ctx.issuer.kid), payloadJson)}`;

describe('claims the signature does not make acceptable', () => {
  it.each([
    ['an iat ten years ahead', () => claimsJson(['iat'], `"iat":${now() + 10 * 365 * 86400}`)],
    ['an iat a minute ahead', () => claimsJson(['iat'], `"iat":${now() + 60}`)],
    ['an iat of 1e309 (Infinity)', () => claimsJson(['iat'], '"iat":1e309')],
    ['an exp of 1e309 (Infinity)', () => claimsJson(['exp'], '"exp":1e309')],
    ['no sub', () => claimsJson(['sub'])],
    ['a numeric sub', () => claimsJson(['sub'], '"sub":42')],
    ['an empty sub', () => claimsJson(['sub'], '"sub":""')],
  ])('a token with %s: 401 invalid_token, and not cached', async (_label, payload) => {
    const { api, cache } = appWithCache();
    const authorization = tokenOf(payload());
    for (let i = 0; i < 2; i += 1) {
      const res = await api.get('/actors').set('Authorization', authorization);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ success: false, error: 401, code: 'invalid_token' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_token"/);
    }
    expect(cache.size).toBe(0);
  });

  it('accepts an iat ahead by less than the clock tolerance, and one in the past', async () => {
    const { api } = appWithCache();
    for (const iat of [now() + TOLERANCE_S - 2, now() - 3600]) {
      const res = await api.get('/actors').set('Authorization', tokenOf(claimsJson(['iat'], `"iat":${iat}`)));
      expect([iat, res.status]).toEqual([iat, 200]);
    }
  });

  it('keeps refusing a bad token on a route needing none, and lets that route answer', async () => {
    const { api, cache } = appWithCache();
    const res = await api.get('/').set('Authorization', tokenOf(claimsJson(['sub'])));
    expect(res.status).toBe(200);
    expect(cache.size).toBe(0);
  });
});
