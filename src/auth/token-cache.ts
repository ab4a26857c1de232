import type { Request, RequestHandler } from 'express';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { deepFreeze } from '../lib/deep-freeze';
import { LruMap } from '../lib/lru';

export type TokenCacheOptions = {
  /** 0 turns the cache off. */
  maxEntries: number;
  /** An entry lives at most this long, however far away the token's `exp` is. */
  ttlMs: number;
  now?: () => number;
};

export const DEFAULT_TOKEN_CACHE: TokenCacheOptions = { maxEntries: 1000, ttlMs: 60_000 };

type Entry<T> = { value: T; expiresAt: number };

/**
 * Verified tokens, keyed by the whole compact token: header, payload and signature. A token that
 * differs in any byte (the same claims under another signature) is another key, so it goes to the
 * verifier. An entry expires at the token's `exp` or `ttlMs` after it was stored, whichever comes
 * first, and the least recently used entry leaves when the cache is full. Only verified tokens are
 * stored: a refusal is never remembered.
 */
export class TokenCache<T> {
  private readonly entries: LruMap<string, Entry<T>>;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(private readonly options: TokenCacheOptions = DEFAULT_TOKEN_CACHE) {
    this.now = options.now ?? Date.now;
    this.entries = new LruMap(options.maxEntries);
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined || entry.expiresAt <= this.now()) {
      if (entry !== undefined) this.entries.delete(token);
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return entry.value;
  }

  /** `exp` is the token's claim, in seconds; a token without a numeric `exp` is not stored. */
  set(token: string, value: T, exp: unknown): void {
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return;
    const now = this.now();
    const expiresAt = Math.min(exp * 1000, now + this.options.ttlMs);
    if (expiresAt <= now) return;
    this.entries.set(token, { value, expiresAt });
  }
}

const PLAIN_BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;
// The verifier's own host rule (express-oauth2-jwt-bearer's HOST_RE), port range included.
const HOST =
  /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?$/;
const PROTOCOL_IN_PATH = /^\/[a-z][a-z0-9+.-]*:\/\//i;

function isPlainUrl(req: Request): boolean {
  const host = req.headers.host;
  if (req.headers['x-forwarded-host'] !== undefined || typeof host !== 'string' || !HOST.test(host)) return false;
  try {
    const url = new URL(`${req.protocol}://${host}${req.originalUrl}`);
    return HOST.test(url.host) && !url.pathname.startsWith('//') && !PROTOCOL_IN_PATH.test(url.pathname);
  } catch {
    return false;
  }
}

/**
 * The token of a request that the verifier would judge by its token alone: exactly `Bearer <jwt>`
 * in the header, no second token in the query or body, an ordinary Host and URL. Anything else
 * (the verifier answers 400 to some of these whatever the token) is left to the verifier.
 */
export function plainBearerToken(req: Request): string | undefined {
  const match = PLAIN_BEARER.exec(req.headers.authorization ?? '');
  if (!match || req.originalUrl.includes('access_token')) return undefined;
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && 'access_token' in body) return undefined;
  return isPlainUrl(req) ? match[1] : undefined;
}

/**
 * Serves a verified token from the cache, or asks the verifier (express-oauth2-jwt-bearer's `auth()`)
 * and remembers its success. Both paths leave the same `req.auth`.
 */
export function cachingVerifier(verify: RequestHandler, cache: TokenCache<AuthResult>): RequestHandler {
  return (req, res, next) => {
    const token = plainBearerToken(req);
    const cached = token === undefined ? undefined : cache.get(token);
    if (cached !== undefined) {
      req.auth = cached;
      return next();
    }
    void verify(req, res, (err?: unknown) => {
      if (err === undefined && token !== undefined && req.auth?.token === token) {
        // One object is shared by every request that presents the token: nobody may change it.
        cache.set(token, deepFreeze(req.auth), req.auth.payload.exp);
      }
      next(err);
    });
  };
}
