import express, { type Request, type RequestHandler } from 'express';
import { ErrorCode, HttpError } from '../http/errors';
import { queryOf } from '../http/request-query';

const TOKEN_PARAMETER = 'access_token';

const tokenNotInHeader = (where: string) =>
  new HttpError(
    400,
    ErrorCode.invalidRequest,
    `Access tokens are accepted only in the Authorization header (Bearer), not in the ${where}`,
    undefined,
    { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_request", error_description="Use the Authorization header"' },
  );

const carriesToken = (values: unknown): boolean => typeof values === 'object' && values !== null && Object.hasOwn(values, TOKEN_PARAMETER);

const formBody = express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 });

/**
 * RFC 6750 also allows `?access_token=` and a form field, and the verifier accepts both by default.
 * A token in a URL ends up in logs, browser history and Referer headers, so both are refused with 400
 * before the verifier runs. This API never takes form bodies: one is read (100 kB at most) only to
 * look for a token in it; the route then answers as it would any other request (415 where it takes JSON).
 */
export const tokenOnlyInHeader: RequestHandler[] = [
  (req, _res, next) => next(carriesToken(queryOf(req)) ? tokenNotInHeader('query string') : undefined),
  (req: Request, res, next) => {
    if (!req.is('urlencoded')) return next();
    // A form body that cannot be read carries no token the verifier could use either; the route
    // answers the request as it would any other (405, 404, or 415 for a body that is not JSON).
    formBody(req, res, (err?: unknown) => next(!err && carriesToken(req.body) ? tokenNotInHeader('request body') : undefined));
  },
];
