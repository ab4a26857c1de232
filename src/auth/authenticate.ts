import type { Request, RequestHandler } from 'express';
import { auth, InsufficientScopeError, type AuthResult, type PublicKeyInput } from 'express-oauth2-jwt-bearer';
import { withClaimChecks } from './claims';
import { DEFAULT_KEY_FETCH, IssuerKeys, type KeyFetchOptions, type KeySet } from './issuer-keys';
import { issuerVerifier } from './issuer-verifier';
import type { Permission } from './permissions';
import { cachingVerifier, TokenCache } from './token-cache';

export type AuthSettings = (
  | {
      kind: 'issuer';
      issuerBaseURL: string;
      audience: string;
      /** Deadline of each fetch of the issuer's keys, and the back-off after a failed one (issuer-keys.ts). */
      keyFetch?: Partial<Pick<KeyFetchOptions, 'timeoutMs' | 'retryAfterMs'>>;
    }
  | { kind: 'key'; issuer: string; audience: string; publicKey: string }
) & {
  /** Verified tokens; by default up to 1 000 of them, each for at most 60 s (src/auth/token-cache.ts). */
  tokenCache?: TokenCache<AuthResult>;
  /** Seconds of leeway on `exp`/`nbf`/`iat`; the library's default (5) when not given. */
  clockTolerance?: number;
};

/** The token pipeline, as src/http/caller.ts runs it. */
export type Authenticator = {
  /** Verifies the bearer token (RS256 only) and puts it on `req.auth`, or calls `next` with the 401/400/503 error. */
  verify: RequestHandler;
  /** Whether `verify` would judge this request without fetching anything (the issuer's keys are in memory). */
  canVerifyNow: (req: Request) => boolean;
};

// The library's own default, made explicit: the claim checks (claims.ts) use the same leeway.
const DEFAULT_CLOCK_TOLERANCE_S = 5;

/** Auth0 issues `https://TENANT.auth0.com/` as `iss` and publishes its keys under it. */
const withTrailingSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/**
 * The verifier (express-oauth2-jwt-bearer) with a fixed issuer and key set: it never discovers or
 * fetches anything itself, because its own fetches have no working deadline (issuer-keys.ts fetches).
 * An RS256 verification costs more than the rest of a list request, so a token verified once is
 * served from a cache until it expires (keyed by the whole token; see token-cache.ts).
 */
export function createAuthenticate(settings: AuthSettings): Authenticator {
  const clockTolerance = settings.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_S;
  const cache = settings.tokenCache ?? new TokenCache();
  const verifierWith = (issuer: string, publicKey: PublicKeyInput) =>
    withClaimChecks(
      auth({
        audience: settings.audience,
        issuer,
        publicKey,
        // It would read ISSUER_BASE_URL, JWKS_URI and SECRET from the environment, which conflict with `publicKey`.
        issuerBaseURL: '',
        jwksUri: '',
        secret: '',
        tokenSigningAlg: 'RS256',
        authRequired: true,
        dpop: { enabled: false },
        clockTolerance,
      }),
      clockTolerance,
    );
  if (settings.kind === 'key') {
    // Development tokens: one fixed key, nothing to fetch.
    return { verify: cachingVerifier(verifierWith(settings.issuer, settings.publicKey), cache), canVerifyNow: () => true };
  }

  const issuer = withTrailingSlash(settings.issuerBaseURL);
  const keys = new IssuerKeys(new URL('.well-known/jwks.json', issuer), { ...DEFAULT_KEY_FETCH, ...settings.keyFetch });
  // One verifier per key set (it imports the keys once); a new set comes at most every 30 s.
  const verifiers = new WeakMap<KeySet, RequestHandler>();
  const verifierFor = (keySet: KeySet) => {
    const known = verifiers.get(keySet);
    if (known) return known;
    const verifier = verifierWith(issuer, keySet);
    verifiers.set(keySet, verifier);
    return verifier;
  };
  const { verify, canVerifyNow } = issuerVerifier(keys, verifierFor);
  return { verify: cachingVerifier(verify, cache), canVerifyNow };
}

const permissionsOf = (claim: unknown): string[] => (Array.isArray(claim) ? claim.filter((p): p is string => typeof p === 'string') : []);

/**
 * Auth0 RBAC lists a role's permissions in the `permissions` claim. The library's `claimIncludes`
 * would answer 401; a valid token without the permission is a 403.
 */
export const requirePermission =
  (permission: Permission): RequestHandler =>
  (req, _res, next) => {
    const granted = permissionsOf(req.auth?.payload.permissions);
    next(
      granted.includes(permission)
        ? undefined
        : new InsufficientScopeError([permission], `This action needs the '${permission}' permission`),
    );
  };
