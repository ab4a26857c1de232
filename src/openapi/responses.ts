import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { HeaderDoc, ResponseDoc } from '../http/operation';
import { ErrorSchema } from './schemas';

export type ErrorStatus = 400 | 401 | 403 | 404 | 412 | 413 | 415 | 422 | 429 | 500 | 503;

/** Sent with every answer, whatever its status. */
export const REQUEST_ID_HEADER = {
  description: 'Identifies the request in the logs; taken from the request when it sends one',
  required: true,
  schema: { type: 'string' as const },
  example: '5a34b7e0-c7ed-426b-b41a-86f2dc18bbb3',
};
export const requestIdHeader = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };

/** Sent with every page of a paged list (src/http/page-links.ts). */
export const LINK_HEADER = {
  description:
    'RFC 8288 links to other pages of this list: `rel="first"` and `rel="last"` always (page 1 when the list is empty), ' +
    '`rel="prev"` except on page 1 (past the end it is the last page), `rel="next"` until the last page. ' +
    "Each is this request's own path and query with only `page` changed: every other parameter (`limit`, `q`, `sort`, the filters) " +
    'is kept as it was sent. Follow `next` until it is absent to read every row',
  required: true,
  schema: { type: 'string' as const },
  example:
    '</actors?limit=20&page=1>; rel="first", </actors?limit=20&page=2>; rel="prev", </actors?limit=20&page=4>; rel="next", </actors?limit=20&page=9>; rel="last"',
};
export const linkHeader = { Link: { $ref: '#/components/headers/Link' } };

const challenge = {
  'WWW-Authenticate': {
    description: 'The RFC 6750 challenge: `Bearer realm="api"`, with `error="…"` when a token was sent',
    schema: { type: 'string' as const },
  },
};

type ErrorDoc = { description: string; code: string; message: string; headers?: ResponseConfig['headers'] };

const ERRORS: Record<Exclude<ErrorStatus, 400 | 503>, ErrorDoc> = {
  401: {
    description:
      'No token, or one that is malformed, expired, wrongly signed, or for another audience or issuer (`unauthorized`, `invalid_token`)',
    code: 'unauthorized',
    message: 'An Authorization header with a Bearer token is required',
    headers: challenge,
  },
  403: {
    description: 'A valid token without the permission this operation needs (`insufficient_permission`); nothing changes',
    code: 'insufficient_permission',
    message: "This action needs the 'post:actors' permission",
    headers: challenge,
  },
  404: {
    description: 'No such id, or an id that cannot exist (ids are positive integers) (`not_found`)',
    code: 'not_found',
    message: 'Actor 7 not found',
  },
  412: {
    description:
      '`If-Match` does not match the current `ETag`: someone changed it since you read it (`precondition_failed`); nothing changes. GET it again and retry',
    code: 'precondition_failed',
    message: 'Actor 7 has changed since If-Match was read; GET it again for the current ETag',
  },
  413: {
    description: 'The body is over 100 kB (`payload_too_large`)',
    code: 'payload_too_large',
    message: 'The request body is larger than 100 kB',
  },
  415: {
    description: 'The body is not JSON (`unsupported_media_type`): send `Content-Type: application/json`',
    code: 'unsupported_media_type',
    message: 'The request body must be JSON (Content-Type: application/json)',
  },
  422: {
    description: 'A well-formed body that fails validation (`validation_failed`), with one `details` entry per problem',
    code: 'validation_failed',
    message: 'The request body is not valid',
  },
  429: {
    description:
      'Over the rate limit (`rate_limited`): reads and writes are counted apart, per token subject, else per IP (`RATE_LIMIT_PER_MINUTE`, `RATE_LIMIT_WRITES_PER_MINUTE`)',
    code: 'rate_limited',
    message: 'Too many reads: at most 300 a minute; retry after 42 s',
    headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'string' } } },
  },
  500: {
    description: 'An unexpected fault (`internal_error`); the `X-Request-Id` finds it in the logs',
    code: 'internal_error',
    message: 'Something went wrong on our side',
  },
};

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string' as const } } };

/** 503 has two causes: the database, and the issuer's keys for an operation that takes a token. */
export const UNAVAILABLE_CAUSES = {
  database: ['database_unavailable', 'the database does not answer', 'The database is unavailable; try again shortly'],
  issuer: [
    'auth_unavailable',
    "the token issuer's signing keys cannot be fetched to check the token (it is not refused)",
    "The token cannot be checked now: the issuer's signing keys cannot be fetched; try again after 10 s",
  ],
} as const;
export type UnavailableCause = keyof typeof UNAVAILABLE_CAUSES;

/** 400 has several causes; an operation lists the ones that apply to it. */
export const BAD_REQUEST_CAUSES = {
  query: ['invalid_query', 'an unknown, repeated or out-of-range query parameter, named in the message', 'Invalid query parameter: limit'],
  body: ['invalid_json', 'a body that is not valid JSON', 'The request body is not valid JSON'],
  token: ['invalid_request', 'a malformed Authorization header (`Bearer` alone, `Basic …`)', 'Bearer token is missing'],
  tokenLocation: [
    'invalid_request',
    'an access token in the query string (`?access_token=`) or a form body: tokens go in the Authorization header only',
    'Access tokens are accepted only in the Authorization header (Bearer), not in the query string',
  ],
  malformed: ['bad_request', 'a path with broken %-encoding, or a body whose Content-Encoding does not decode', 'The request is malformed'],
} as const;
export type BadRequestCause = keyof typeof BAD_REQUEST_CAUSES;

/** An `Error` body with its example. */
export const errorContent = (status: number, { code, message }: { code: string; message: string }) => ({
  'application/json': { schema: ErrorSchema, example: { success: false, error: status, message, code } },
});

const isIn =
  <C extends string>(table: Record<C, unknown>) =>
  (cause: string): cause is C =>
    Object.hasOwn(table, cause);

export function errorResponse(status: ErrorStatus, causes: readonly (BadRequestCause | UnavailableCause)[] = []): ResponseConfig {
  if (status === 400) {
    const bad = causes.filter(isIn(BAD_REQUEST_CAUSES));
    const listed = bad.map((c) => `${BAD_REQUEST_CAUSES[c][1]} (\`${BAD_REQUEST_CAUSES[c][0]}\`)`);
    const main = (Object.keys(BAD_REQUEST_CAUSES) as BadRequestCause[]).find((c) => bad.includes(c)) ?? 'token';
    const [code, , message] = BAD_REQUEST_CAUSES[main];
    return { description: `Bad request: ${listed.join('; ')}`, headers: requestIdHeader, content: errorContent(400, { code, message }) };
  }
  if (status === 503) {
    const unavailable = causes.filter(isIn(UNAVAILABLE_CAUSES));
    const listed = unavailable.map((c) => `${UNAVAILABLE_CAUSES[c][1]} (\`${UNAVAILABLE_CAUSES[c][0]}\`)`);
    const [code, , message] = UNAVAILABLE_CAUSES[unavailable[0] ?? 'database'];
    const description = `Unavailable: ${listed.join('; ')}. Retry after \`Retry-After\` seconds`;
    return { description, headers: { ...requestIdHeader, ...retryAfter }, content: errorContent(503, { code, message }) };
  }
  const doc = ERRORS[status];
  return {
    description: doc.description,
    headers: { ...requestIdHeader, ...doc.headers },
    content: errorContent(status, doc),
  };
}

/** 304 to a GET whose `If-None-Match` names the current version: no body, the same `ETag`. */
export function notModifiedResponse(etag: HeaderDoc | undefined): ResponseConfig {
  const description = 'Not modified: `If-None-Match` names the current `ETag` (or is `*`); no body, keep your copy';
  return { description, headers: { ...requestIdHeader, ...(etag ? { ETag: etag } : {}) } };
}

/** What any method a path does not list answers (see the document's `x-method-not-allowed`). */
export const METHOD_NOT_ALLOWED = {
  description: 'The path exists, the method does not (`method_not_allowed`): `Allow` names the methods it has',
  headers: {
    ...requestIdHeader,
    Allow: {
      description: "The path's methods: its operations, with `HEAD` where there is `GET`, and `OPTIONS`",
      required: true,
      schema: { type: 'string' as const },
      example: 'GET, HEAD, POST, OPTIONS',
    },
  },
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
      example: {
        success: false,
        error: 405,
        message: 'PUT is not allowed on /actors; allowed: GET, HEAD, POST, OPTIONS',
        code: 'method_not_allowed',
      },
    },
  },
};

export function successResponse({ description, schema, contentType, headers }: ResponseDoc): ResponseConfig {
  const content = schema === undefined ? undefined : { [contentType ?? 'application/json']: { schema } };
  return { description, headers: { ...requestIdHeader, ...headers }, ...(content ? { content } : {}) };
}
