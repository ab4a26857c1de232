import type { Request, RequestHandler } from 'express';

export type Caller = {
  /** Before the routes: verifies a token when one is sent, so later steps (rate limits, logs) know its subject. */
  identify: RequestHandler;
  /** In a route's guard: the outcome of `identify`, or a fresh verification when it did not run. */
  authenticate: RequestHandler;
};

/**
 * Verifies each request's token once, early. A failure is kept rather than raised at once: the route's
 * guard raises it, so an unknown path still answers 404 and a wrong method 405 before any 401.
 */
export function identifyCaller(authenticate: RequestHandler): Caller {
  const failures = new WeakMap<Request, unknown>();
  return {
    identify: (req, res, next) => {
      if (req.headers.authorization === undefined) return next();
      void authenticate(req, res, (err?: unknown) => {
        if (err) failures.set(req, err);
        next();
      });
    },
    authenticate: (req, res, next) => {
      if (req.auth) return next();
      if (failures.has(req)) return next(failures.get(req));
      return authenticate(req, res, next);
    },
  };
}

/** The verified token's subject, when there is one. */
export const subjectOf = (req: Request): string | undefined => {
  const sub = req.auth?.payload.sub;
  return typeof sub === 'string' ? sub : undefined;
};
