import type { RequestHandler } from 'express';
import { subjectOf } from '../auth/caller';
import type { Logger } from '../logger';
import { redactUrl } from './redact';
import { requestId } from './request-id';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's `X-Request-Id` when usable, else a new UUID (request-id.ts). */
    id: string;
    /** A logger whose lines carry this request (`req: {id, method, url}`). */
    log: Logger;
  }
}

/** nginx's status for a request whose client went away before the answer was sent. */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * One JSON line per request once its answer is sent, or once the client went away before it was
 * (status 499, "request aborted"): the request (id, method, URL with any token blanked, redact.ts),
 * the status, the milliseconds it took and the verified token's subject. `req.log` is a logger
 * bound to the request, made only when something logs through it (the error handler). Written by
 * hand rather than with pino-http, whose child logger per request cost ~40 µs of CPU, a sixth of a
 * list request (docs/benchmarks.md).
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    req.id = requestId(req, res);
    const about = { id: req.id, method: req.method, url: redactUrl(req.originalUrl) };
    let bound: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (bound ??= logger.child({ req: about })) });
    let logged = false;
    const done = (aborted: boolean) => {
      if (logged) return;
      logged = true;
      // `res.statusCode` of an aborted request is only what the app meant to answer (200 until set).
      const statusCode = aborted ? CLIENT_CLOSED_REQUEST : res.statusCode;
      const line = { req: about, res: { statusCode }, responseTime: Date.now() - started, sub: subjectOf(req) };
      const msg = aborted ? 'request aborted' : statusCode >= 500 ? 'request errored' : 'request completed';
      logger.info(line, msg);
    };
    // 'finish': the whole answer was handed to the OS. 'close' first: the connection went before it
    // was (res.writableFinished cannot tell: it is true for an answer ended onto a destroyed socket).
    res.once('finish', () => done(false));
    res.once('close', () => done(true));
    next();
  };
}
