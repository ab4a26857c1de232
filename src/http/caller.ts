import type { Request, RequestHandler } from 'express';
import type { Authenticator } from '../auth/authenticate';

export type Caller = {
  /** Before the routes: verifies a token when one is sent, so later steps (rate limits, logs) know its subject. */
  identify: RequestHandler;
  /** In a route's guard: the outcome of `identify`, or a fresh verification when it did not run. */
  authenticate: RequestHandler;
};

/**
 * How long `identify` waits for the issuer's keys when they must be fetched first (at start, for a
 * new key). A healthy issuer answers well within it; a slow one must not hold up routes that need no
 * token: past it the request goes on unidentified (rate-limited by its address) and the route's
 * guard, if it has one, waits for the keys up to the fetch deadline.
 */
const KEY_FETCH_WAIT_MS = 200;

/**
 * Verifies each request's token once, early. A failure is kept rather than raised at once: the route's
 * guard raises it, so an unknown path still answers 404 and a wrong method 405 before any 401.
 */
export function identifyCaller({ verify, canVerifyNow }: Authenticator): Caller {
  const failures = new WeakMap<Request, unknown>();
  return {
    identify: (req, res, next) => {
      if (req.headers.authorization === undefined) return next();
      let movedOn = false;
      const moveOn = () => {
        if (movedOn) return;
        movedOn = true;
        next();
      };
      const timer = canVerifyNow(req) ? undefined : setTimeout(moveOn, KEY_FETCH_WAIT_MS);
      void verify(req, res, (err?: unknown) => {
        clearTimeout(timer);
        // Too late for this request: its guard verifies again (sharing the same fetch).
        if (movedOn) return;
        if (err) failures.set(req, err);
        moveOn();
      });
    },
    authenticate: (req, res, next) => {
      if (req.auth) return next();
      if (failures.has(req)) return next(failures.get(req));
      return verify(req, res, next);
    },
  };
}

/** The verified token's subject, when there is one. */
export const subjectOf = (req: Request): string | undefined => {
  const sub = req.auth?.payload.sub;
  return typeof sub === 'string' ? sub : undefined;
};
