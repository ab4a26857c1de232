import { parse as parseContentType } from 'content-type';
import express, { type Request, type RequestHandler } from 'express';
import { ErrorCode, HttpError, notFound } from './errors';

/** The last handler of a route: the path exists, the method does not. OPTIONS is answered with `Allow`. */
export const methodNotAllowed = (...methods: string[]): RequestHandler => {
  const allow = methods
    .flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]))
    .concat('OPTIONS')
    .join(', ');
  return (req, res, next) => {
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next(new HttpError(405, ErrorCode.methodNotAllowed, `${req.method} is not allowed on ${req.baseUrl}${req.path}; allowed: ${allow}`));
  };
};

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(notFound(`No route for ${req.method} ${req.path}`));
};

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The charset a body declares, read by the parser body-parser itself uses, so both see the same
 * value; none means UTF-8 (RFC 8259). `null`: the header cannot be read.
 */
const declaredCharset = (header: string): string | null => {
  try {
    return parseContentType(header).parameters.charset?.toLowerCase() ?? 'utf-8';
  } catch {
    return null;
  }
};

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is(JSON_TYPES)) {
    return next(new HttpError(415, ErrorCode.unsupportedMediaType, 'The request body must be JSON (Content-Type: application/json)'));
  }
  // body-parser decodes any utf-* charset. In UTF-7 `+ACI-` is `"`: a body that is one string to a proxy or a log is several fields to us.
  if (declaredCharset(req.headers['content-type'] ?? '') !== 'utf-8') {
    return next(new HttpError(415, ErrorCode.unsupportedMediaType, 'The request body must be UTF-8 JSON (charset=utf-8, or no charset)'));
  }
  next();
};

/**
 * For operations with a body, after the guard: only an authorized caller gets its body read.
 * Not JSON, or JSON in a charset other than UTF-8 → 415; malformed → 400; over 100 kB → 413
 * (mapped in the error handler).
 */
export const jsonBody: RequestHandler[] = [requireJson, express.json({ limit: '100kb', type: JSON_TYPES, strict: true })];

/** No body at all: no Content-Type, no Transfer-Encoding, and no Content-Length (or 0). */
const sendsNoBody = (req: Request): boolean =>
  req.headers['content-type'] === undefined &&
  req.headers['transfer-encoding'] === undefined &&
  (req.headers['content-length'] ?? '0') === '0';

/**
 * For operations whose body is optional: a request without one is let through unread (`req.body`
 * stays undefined); any other goes through `jsonBody`, with its 415, 413 and 400.
 */
export const optionalJsonBody: RequestHandler[] = jsonBody.map(
  (step): RequestHandler =>
    (req, res, next) =>
      sendsNoBody(req) ? next() : step(req, res, next),
);
