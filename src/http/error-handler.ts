import type { ErrorRequestHandler, Request, Response } from 'express';
import { InsufficientScopeError, UnauthorizedError } from 'express-oauth2-jwt-bearer';
import { isConnectionError, isStatementTimeout } from '../db/db';
import { ErrorCode, HttpError, errorBody } from './errors';

/** Errors from body-parser carry a `type`; these are the ones a client causes. */
const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, ErrorCode.invalidJson, 'The request body is not valid JSON'],
  'entity.too.large': [413, ErrorCode.payloadTooLarge, 'The request body is larger than 100 kB'],
  'entity.verify.failed': [400, ErrorCode.badRequest, 'The request body could not be verified'],
  'request.aborted': [400, ErrorCode.badRequest, 'The request was aborted'],
  'request.size.invalid': [400, ErrorCode.badRequest, 'The request body does not match its Content-Length'],
  'charset.unsupported': [415, ErrorCode.unsupportedMediaType, 'The request body must be UTF-8 JSON'],
  'encoding.unsupported': [415, ErrorCode.unsupportedMediaType, 'The request body encoding is not supported'],
};

/*
 * Header values can echo what a client sent (the verifier's messages quote a token's `alg` or `crit`),
 * and Node throws on characters outside Latin-1 and on CR/LF. Only printable ASCII goes out: anything
 * else becomes `?`, and a quoted-string loses its quotes and backslashes rather than end early.
 */
const MAX_DESCRIPTION = 200;
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');
const quotable = (text: string) => printable(text.slice(0, MAX_DESCRIPTION)).replace(/["\\]/g, "'");
const safeHeaders = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, printable(String(value))]));

/** RFC 6750's challenge, as the verifier writes it (dpop off), from its code and message. */
const challenge = (code: string, description: string) =>
  code === '' ? 'Bearer realm="api"' : `Bearer realm="api", error="${code}", error_description="${quotable(description)}"`;

/** Maps any thrown value to the HttpError the client sees; `null` means "unexpected: 500". */
export function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof UnauthorizedError) {
    if (err instanceof InsufficientScopeError) {
      // Built from our own permission names and message, nothing the client sent.
      return new HttpError(403, ErrorCode.insufficientPermission, err.message, undefined, {
        'WWW-Authenticate': err.headers['WWW-Authenticate'],
      });
    }
    // A malformed Authorization header (`Bearer` alone, `Basic …`) comes with an empty code and message.
    const own = 'code' in err && typeof err.code === 'string' ? err.code : '';
    const code = own || (err.status === 400 ? ErrorCode.invalidRequest : ErrorCode.unauthorized);
    const message =
      err.message === 'Unauthorized'
        ? 'An Authorization header with a Bearer token is required'
        : err.message || 'The Authorization header must be `Bearer <token>`';
    return new HttpError(err.status, code, message, undefined, { 'WWW-Authenticate': challenge(own, err.message) });
  }
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: unknown; code?: unknown; message?: unknown; status?: unknown };
  const known = typeof e.type === 'string' ? BODY_PARSER_ERRORS[e.type] : undefined;
  if (known) return new HttpError(...known);
  if (isStatementTimeout(e)) {
    return new HttpError(503, ErrorCode.databaseUnavailable, 'The database took too long to answer; try again shortly', undefined, {
      'Retry-After': '5',
    });
  }
  if (isConnectionError(e)) {
    return new HttpError(503, ErrorCode.databaseUnavailable, 'The database is unavailable; try again shortly', undefined, {
      'Retry-After': '5',
    });
  }
  // Other client errors raised by Express itself (a path with malformed %-encoding, …).
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(400, ErrorCode.badRequest, 'The request is malformed');
  }
  return null;
}

const INTERNAL_MESSAGE = 'Something went wrong on our side; the request id identifies it in our logs';

/**
 * One error answer. Everything that can go wrong building it (an error that throws when read, a
 * header Node refuses, details that do not serialize) is caught, and a last guard still answers our
 * JSON 500, never Express's own HTML page.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const headerNames: string[] = [];
  try {
    const httpError = toHttpError(err);
    if (!httpError || httpError.status >= 500) req.log.error({ err }, 'request failed');
    if (res.headersSent) return void res.end();
    const { status, code, message, details, headers } = httpError ?? new HttpError(500, ErrorCode.internal, INTERNAL_MESSAGE);
    headerNames.push(...Object.keys(headers));
    res
      .set(safeHeaders(headers))
      .status(status)
      .json(errorBody(status, code, message, details));
  } catch (failure) {
    lastGuard(failure, req, res, headerNames);
  }
};

function lastGuard(failure: unknown, req: Request, res: Response, headerNames: readonly string[]): void {
  try {
    req.log.error({ err: failure }, 'the error handler failed; answered 500');
  } catch {
    // Logging failed too; the answer still matters.
  }
  try {
    if (res.headersSent) return void res.end();
    for (const name of headerNames) res.removeHeader(name);
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(errorBody(500, ErrorCode.internal, INTERNAL_MESSAGE)));
  } catch {
    res.destroy();
  }
}
