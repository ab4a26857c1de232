import type { Request, RequestHandler } from 'express';
import { UnauthorizedError, type AuthResult } from 'express-oauth2-jwt-bearer';
import { createTokenVerifier, type AuthSettings } from './authenticate';
import { isPlainUrl } from './cacheable-request';

/** Who sent a request, once its token has been judged. */
export type SettledCaller =
  /** The verifier accepted the token. */
  | { kind: 'verified'; auth: AuthResult }
  /**
   * No token, a token the verifier refused (400, 401), or one that cannot be checked now (503): `error`
   * is what a route that needs a caller answers (guard.ts).
   */
  | { kind: 'unverified'; error: unknown };

/** Still being judged: the issuer's keys are being fetched. `settled` never rejects. */
export type Caller = SettledCaller | { kind: 'verifying'; settled: Promise<SettledCaller> };

declare module 'http' {
  interface IncomingMessage {
    /** Set by identifyCaller for every request past /health and /ready. */
    caller?: Caller;
  }
}

/**
 * How long identifyCaller waits for the issuer's keys when they must be fetched first (at start, for
 * a new key). A healthy issuer answers well within it; a slow one must not hold up routes that need
 * no token: past it the request goes on still `verifying` (rate-limited by its address) and the
 * route's guard, if it has one, waits for the verification, which the fetch deadline bounds.
 */
const KEY_FETCH_WAIT_MS = 200;

/**
 * What the verifier answers a request that sends no token, with an ordinary URL (token-location.ts
 * has already refused tokens in the query and form bodies): its plain 401, the same every time. Made
 * once: building it per request, in a deep stack, cost a third of an anonymous `GET /`.
 */
const NO_TOKEN: SettledCaller = { kind: 'unverified', error: new UnauthorizedError() };

/**
 * Verifies each request's token once, early, so that later steps (rate limits, logs) know its
 * subject, and records the outcome as `req.caller`. A failure is recorded, not raised: the route's
 * guard raises it, so an unknown path still answers 404 and a wrong method 405 before any 401.
 */
export function identifyCaller(settings: AuthSettings): RequestHandler {
  const { verify, canVerifyNow, cached } = createTokenVerifier(settings);
  return (req, res, next) => {
    if (req.headers.authorization === undefined && isPlainUrl(req)) {
      req.caller = NO_TOKEN;
      return next();
    }
    // A token verified before is settled now: no key lookup, no timer, no promise to wait for.
    const known = cached(req);
    if (known !== undefined) {
      req.caller = { kind: 'verified', auth: known };
      return next();
    }
    let movedOn = false;
    const moveOn = () => {
      if (movedOn) return;
      movedOn = true;
      next();
    };
    const timer = canVerifyNow(req) ? undefined : setTimeout(moveOn, KEY_FETCH_WAIT_MS);
    const settled = verify(req, res).then(
      (auth): SettledCaller => (req.caller = { kind: 'verified', auth }),
      (error: unknown): SettledCaller => (req.caller = { kind: 'unverified', error }),
    );
    req.caller = { kind: 'verifying', settled };
    void settled.then(() => {
      clearTimeout(timer);
      moveOn();
    });
  };
}

/** The verified token's subject, when there is one. */
export const subjectOf = (req: Request): string | undefined => {
  const sub = req.caller?.kind === 'verified' ? req.caller.auth.payload.sub : undefined;
  return typeof sub === 'string' ? sub : undefined;
};
