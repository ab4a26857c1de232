import type { RequestHandler } from 'express';
import { InsufficientScopeError } from 'express-oauth2-jwt-bearer';
import type { SettledCaller } from './caller';
import { AUTHENTICATED, type Requirement } from './permissions';

/** What a route runs before its handler: `guard('post:actors')`, or `guard(AUTHENTICATED)` for any valid token. */
export type Guard = (requirement: Requirement) => RequestHandler[];

/** The token's `permissions` claim: its strings, `[]` when it is missing or not a list. */
export const permissionsOf = (claim: unknown): string[] =>
  Array.isArray(claim) ? claim.filter((p): p is string => typeof p === 'string') : [];

/**
 * Auth0 RBAC lists a role's permissions in the `permissions` claim. The library's `claimIncludes`
 * would answer 401; a valid token without the permission is a 403.
 */
const refusalOf = (caller: SettledCaller, permission: Requirement): unknown => {
  if (caller.kind === 'unverified') return caller.error;
  if (permission === AUTHENTICATED || permissionsOf(caller.auth.payload.permissions).includes(permission)) return undefined;
  return new InsufficientScopeError([permission], `This action needs the '${permission}' permission`);
};

/**
 * A verified caller (the 400/401/503 identifyCaller recorded otherwise, caller.ts) whose token
 * carries the permission (403 otherwise); for `AUTHENTICATED`, any verified caller. A caller still being verified is waited for.
 */
export const requirePermission: Guard = (permission) => [
  (req, _res, next) => {
    const caller = req.caller;
    if (caller === undefined) return next(new Error('requirePermission runs only after identifyCaller'));
    if (caller.kind !== 'verifying') return next(refusalOf(caller, permission));
    void caller.settled.then((settled) => next(refusalOf(settled, permission)));
  },
];
