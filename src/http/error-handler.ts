import type { ErrorRequestHandler } from 'express';
import { InsufficientScopeError, UnauthorizedError } from 'express-oauth2-jwt-bearer';
import { ZodError } from 'zod';
import { isConnectionError, isStatementTimeout } from '../db/db';
import { ErrorCode, HttpError, errorBody, type ErrorDetail } from './errors';

/** One detail per problem; an unknown key is reported at its own path, not at its parent's. */
export const zodDetails = (error: ZodError): ErrorDetail[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), message: 'is not a known field' }))
      : [{ path: issue.path.join('.'), message: issue.message }],
  );

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

/** Maps any thrown value to the HttpError the client sees; `null` means "unexpected: 500". */
export function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) {
    return new HttpError(422, ErrorCode.validationFailed, 'The request body is not valid', zodDetails(err));
  }
  if (err instanceof UnauthorizedError) {
    const headers = { 'WWW-Authenticate': err.headers['WWW-Authenticate'] };
    if (err instanceof InsufficientScopeError) {
      return new HttpError(403, ErrorCode.insufficientPermission, err.message, undefined, headers);
    }
    // A malformed Authorization header (`Bearer` alone, `Basic …`) comes with an empty code and message.
    const fallback = err.status === 400 ? ErrorCode.invalidRequest : ErrorCode.unauthorized;
    const code = 'code' in err && typeof err.code === 'string' && err.code !== '' ? err.code : fallback;
    const message =
      err.message === 'Unauthorized'
        ? 'An Authorization header with a Bearer token is required'
        : err.message || 'The Authorization header must be `Bearer <token>`';
    return new HttpError(err.status, code, message, undefined, headers);
  }
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: unknown; code?: unknown; message?: unknown; status?: unknown };
  const known = typeof e.type === 'string' ? BODY_PARSER_ERRORS[e.type] : undefined;
  if (known) return new HttpError(...known);
  if (e.code === '23505') return new HttpError(409, ErrorCode.conflict, 'The resource already exists');
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

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const httpError = toHttpError(err);
  if (!httpError || httpError.status >= 500) req.log.error({ err }, 'request failed');
  if (res.headersSent) return void res.end();
  const { status, code, message, details, headers } = httpError ??
    new HttpError(500, ErrorCode.internal, 'Something went wrong on our side; the request id identifies it in our logs');
  res.set(headers).status(status).json(errorBody(status, code, message, details));
};
