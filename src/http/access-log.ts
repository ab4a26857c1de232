import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { subjectOf } from './caller';
import { redactUrl, requestId } from './request-id';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's `X-Request-Id` when usable, else a new UUID (request-id.ts). */
    id: string;
    /** A logger whose lines carry this request (`req: {id, method, url}`). */
    log: Logger;
  }
}

/**
 * One JSON line per request once its answer is sent (or the client went away): the request (id,
 * method, URL with any token blanked), the status, the milliseconds it took and the verified
 * token's subject. `req.log` is a logger bound to the request, made only when something logs
 * through it (the error handler). Written by hand rather than with pino-http, whose child logger
 * per request cost ~40 µs of CPU, a sixth of a list request (docs/benchmarks.md).
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    req.id = requestId(req, res);
    const about = { id: req.id, method: req.method, url: redactUrl(req.originalUrl) };
    let bound: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (bound ??= logger.child({ req: about })) });
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const line = { req: about, res: { statusCode: res.statusCode }, responseTime: Date.now() - started, sub: subjectOf(req) };
      logger.info(line, res.statusCode >= 500 ? 'request errored' : 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
