import type { Request } from 'express';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { deepFreeze } from '../lib/deep-freeze';
import { TtlLruMap, type TtlLruOptions } from '../lib/ttl-lru';
import { cacheableToken } from './cacheable-request';
import type { VerifyToken } from './jwt-verifier';

/** How long a verified token is served without asking the verifier again (its `exp` may end it sooner). */
export const TOKEN_TTL_MS = 60_000;

/** The cache `TOKEN_CACHE_SIZE` asks for (src/config.ts); 0 verifies every request. */
export const tokenCacheOf = <T>(maxEntries: number): TokenCache<T> => new TokenCache<T>({ maxEntries, ttlMs: TOKEN_TTL_MS });

/**
 * Verified tokens, keyed by the whole compact token: header, payload and signature. A token that
 * differs in any byte (the same claims under another signature) is another key, so it goes to the
 * verifier. An entry expires at the token's `exp` or `ttlMs` after it was stored, whichever comes
 * first, and the least recently used entry leaves when the cache is full.
 */
export class TokenCache<T> {
  private readonly entries: TtlLruMap<string, T>;

  constructor(options: TtlLruOptions) {
    this.entries = new TtlLruMap(options);
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): T | undefined {
    return this.entries.get(token);
  }

  /** `exp` is the token's claim, in seconds; a token without a finite numeric `exp` is not stored. */
  set(token: string, value: T, exp: unknown): void {
    if (typeof exp === 'number' && Number.isFinite(exp)) this.entries.set(token, value, exp * 1000);
  }
}

/**
 * The result the cache holds for a cacheable request's token (cacheable-request.ts), found at once;
 * `undefined` when the request is not cacheable or its token is not there (or has expired).
 */
export const cachedVerification =
  (cache: TokenCache<AuthResult>) =>
  (req: Request): AuthResult | undefined => {
    const token = cacheableToken(req);
    return token === undefined ? undefined : cache.get(token);
  };

/**
 * Serves a cacheable request's token from the cache (cacheable-request.ts), or asks `verify` and
 * remembers what it accepted. A refusal is never remembered. Both paths give the same result.
 */
export const withTokenCache =
  (verify: VerifyToken, cache: TokenCache<AuthResult>): VerifyToken =>
  async (req, res) => {
    const token = cacheableToken(req);
    const cached = token === undefined ? undefined : cache.get(token);
    if (cached !== undefined) return cached;
    const auth = await verify(req, res);
    // One object is shared by every request that presents the token: nobody may change it.
    if (token !== undefined && auth.token === token) cache.set(token, deepFreeze(auth), auth.payload.exp);
    return auth;
  };
