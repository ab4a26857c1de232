import type { RequestHandler } from 'express';
import { auth, InsufficientScopeError, type AuthResult } from 'express-oauth2-jwt-bearer';
import type { Permission } from './permissions';
import { cachingVerifier, TokenCache } from './token-cache';

export type AuthSettings = (
  | { kind: 'issuer'; issuerBaseURL: string; audience: string }
  | { kind: 'key'; issuer: string; audience: string; publicKey: string }
) & {
  /** Verified tokens; by default up to 1 000 of them, each for at most 60 s (src/auth/token-cache.ts). */
  tokenCache?: TokenCache<AuthResult>;
  /** Seconds of leeway on `exp`/`nbf`; the library's default (5) when not given. */
  clockTolerance?: number;
};

/**
 * Verifies the bearer token (RS256 only) and puts it on `req.auth`; every failure is a 401/400 error.
 * An RS256 verification costs more than the rest of a list request, so a token verified once is
 * served from a cache until it expires (keyed by the whole token; see token-cache.ts).
 */
export function createAuthenticate(settings: AuthSettings): RequestHandler {
  const common = {
    audience: settings.audience,
    tokenSigningAlg: 'RS256',
    authRequired: true,
    dpop: { enabled: false },
    ...(settings.clockTolerance === undefined ? {} : { clockTolerance: settings.clockTolerance }),
  };
  const verify =
    settings.kind === 'issuer'
      ? auth({ ...common, issuerBaseURL: settings.issuerBaseURL })
      : auth({ ...common, issuer: settings.issuer, publicKey: settings.publicKey });
  return cachingVerifier(verify, settings.tokenCache ?? new TokenCache());
}

const permissionsOf = (claim: unknown): string[] =>
  Array.isArray(claim) ? claim.filter((p): p is string => typeof p === 'string') : [];

/**
 * Auth0 RBAC lists a role's permissions in the `permissions` claim. The library's `claimIncludes`
 * would answer 401; a valid token without the permission is a 403.
 */
export const requirePermission =
  (permission: Permission): RequestHandler =>
  (req, _res, next) => {
    const granted = permissionsOf(req.auth?.payload.permissions);
    next(granted.includes(permission) ? undefined : new InsufficientScopeError([permission], `This action needs the '${permission}' permission`));
  };
