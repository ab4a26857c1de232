import type { RequestHandler } from 'express';
import { auth, InsufficientScopeError } from 'express-oauth2-jwt-bearer';
import type { Permission } from './permissions';

export type AuthSettings =
  | { kind: 'issuer'; issuerBaseURL: string; audience: string }
  | { kind: 'key'; issuer: string; audience: string; publicKey: string };

/** Verifies the bearer token (RS256 only) and puts it on `req.auth`; every failure is a 401/400 error. */
export function createAuthenticate(settings: AuthSettings): RequestHandler {
  const common = { audience: settings.audience, tokenSigningAlg: 'RS256', authRequired: true, dpop: { enabled: false } };
  return settings.kind === 'issuer'
    ? auth({ ...common, issuerBaseURL: settings.issuerBaseURL })
    : auth({ ...common, issuer: settings.issuer, publicKey: settings.publicKey });
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
