import type { Request } from 'express';
import type { AuthResult, PublicKeyInput } from 'express-oauth2-jwt-bearer';
import { IssuerKeys, type KeyFetchOptions, type KeySet } from './issuer-keys';
import { issuerVerifier } from './issuer-verifier';
import { jwtVerifier, type VerifyToken } from './jwt-verifier';
import { cachedVerification, withTokenCache, type TokenCache } from './token-cache';

export type AuthSettings = (
  | {
      kind: 'issuer';
      issuerBaseURL: string;
      audience: string;
      /** Deadline of each fetch of the issuer's keys (AUTH_FETCH_TIMEOUT_MS), and the back-off after a failed one. */
      keyFetch: Pick<KeyFetchOptions, 'timeoutMs' | 'retryAfterMs'>;
    }
  | { kind: 'key'; issuer: string; audience: string; publicKey: string }
) & {
  /** Verified tokens (TOKEN_CACHE_SIZE of them at most). */
  tokenCache: TokenCache<AuthResult>;
  /** Seconds of leeway on `exp`/`nbf`/`iat`; the library's default (5) when not given. */
  clockTolerance?: number;
};

/** How a request's token is verified, as identifyCaller (caller.ts) runs it. */
export type TokenVerifier = {
  verify: VerifyToken;
  /** Whether `verify` can settle without fetching anything (the issuer's keys are in memory). */
  canVerifyNow: (req: Request) => boolean;
  /** What `verify` would resolve to from the token cache, known at once; `undefined` when it must verify. */
  cached: (req: Request) => AuthResult | undefined;
};

// The library's own default, made explicit: the claim checks (claims.ts) use the same leeway.
const DEFAULT_CLOCK_TOLERANCE_S = 5;

/** Auth0 issues `https://TENANT.auth0.com/` as `iss` and publishes its keys under it. */
const withTrailingSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/**
 * The verifier (jwt-verifier.ts) with a fixed issuer and key set: it never discovers or fetches
 * anything itself, because the library's own fetches have no working deadline (issuer-keys.ts
 * fetches). An RS256 verification costs more than the rest of a list request, so a token verified
 * once is served from a cache until it expires (token-cache.ts).
 */
export function createTokenVerifier(settings: AuthSettings): TokenVerifier {
  const clockTolerance = settings.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_S;
  const cache = settings.tokenCache;
  const cached = cachedVerification(cache);
  const verifierWith = (issuer: string, publicKey: PublicKeyInput) =>
    jwtVerifier({ audience: settings.audience, issuer, publicKey, clockTolerance });
  if (settings.kind === 'key') {
    // Development tokens: one fixed key, nothing to fetch.
    return { verify: withTokenCache(verifierWith(settings.issuer, settings.publicKey), cache), canVerifyNow: () => true, cached };
  }

  const issuer = withTrailingSlash(settings.issuerBaseURL);
  const keys = new IssuerKeys(new URL('.well-known/jwks.json', issuer), settings.keyFetch);
  // One verifier per key set (it imports the keys once); a new set comes at most every 30 s.
  const verifiers = new WeakMap<KeySet, VerifyToken>();
  const verifierFor = (keySet: KeySet) => {
    const known = verifiers.get(keySet);
    if (known) return known;
    const verifier = verifierWith(issuer, keySet);
    verifiers.set(keySet, verifier);
    return verifier;
  };
  const { verify, canVerifyNow } = issuerVerifier(keys, verifierFor);
  return { verify: withTokenCache(verify, cache), canVerifyNow, cached };
}
