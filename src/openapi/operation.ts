import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTHENTICATED, ROLES, type Permission } from '../auth/permissions';
import { bodyIsOptional, type BodyDoc, type IdParams, type OperationDoc, type QueryDoc } from '../http/operation';
import {
  errorContent,
  errorResponse,
  linkHeader,
  notModifiedResponse,
  successResponse,
  type BadRequestCause,
  type ErrorStatus,
  type UnavailableCause,
} from './responses';
import { ETAG_EXAMPLE } from './examples';
import { IdParam } from './schemas';

export const BEARER = 'bearerAuth';
type Parameters = NonNullable<RouteConfig['parameters']>;

/*
 * Parameters carry their `example` on the parameter object itself, not only inside its schema:
 * tools that fill in requests (Dredd, Portman, Postman's converter) read it from there.
 */
const IF_MATCH: Parameters[number] = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The `ETag` from `GET` of this resource: the change is made only if it still matches (else 412). `*` (the example): any existing version',
  schema: { type: 'string' },
  example: '*',
};
const IF_NONE_MATCH: Parameters[number] = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'The `ETag` of a copy you keep: while it is still current the answer is 304 with no body. `*` matches any version',
  schema: { type: 'string' },
  example: ETAG_EXAMPLE,
};

/** Every id parameter is the `Id` that `parseId` checks; the sample data has id 1 of everything. */
const idParameters = (params: IdParams): Parameters =>
  Object.entries(params).map(([name, noun]) => {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(IdParam, { io: 'output' });
    // zod writes JSON Schema 2020-12, the schema dialect of OpenAPI 3.1; only the TS types differ.
    return {
      name,
      in: 'path',
      required: true,
      description: `The ${noun.toLowerCase()}'s id, a positive integer`,
      schema: schema as object,
      example: 1,
    };
  });

const rolesWith = (permission: Permission) =>
  Object.entries(ROLES)
    .filter(([, granted]) => (granted as readonly string[]).includes(permission))
    .map(([role]) => role);

/**
 * Fixed examples: without them converters (Postman's) invent random values on every run. Swagger UI
 * and Postman send them as they stand, so they keep every sample actor and movie in the answer.
 */
const QUERY_EXAMPLES: Record<string, string | number> = {
  page: 1,
  limit: 20,
  q: 'e',
  sort: 'id',
  gender: 'male',
  min_age: 0,
  max_age: 150,
  released_after: '1900-01-01',
  released_before: '2099-12-31',
};

/**
 * The route's own query schema, described as OpenAPI parameters. Express hands over strings, so the
 * routes parse text into numbers; the document shows the value the route accepts (the output side:
 * `limit` is an integer 1–200, default 50), which is what a person filling in the form needs.
 */
export function queryParameters({ schema, describe }: QueryDoc): Parameters {
  const unknown = Object.keys(describe).filter((name) => !(name in schema.shape));
  if (unknown.length > 0) throw new Error(`described query parameters the route does not take: ${unknown.join(', ')}`);
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _dialect, ...json } = z.toJSONSchema(field as z.ZodType, { io: 'output', unrepresentable: 'any' });
    const required = !(field as z.ZodType).safeParse(undefined).success;
    // zod writes JSON Schema 2020-12, the schema dialect of OpenAPI 3.1; only the TS types differ.
    const example = QUERY_EXAMPLES[name];
    return {
      name,
      in: 'query',
      required,
      description: describe[name] ?? '',
      schema: json as object,
      ...(example === undefined ? {} : { example }),
    };
  });
}

function errorStatuses(spec: OperationDoc): [ErrorStatus[], (BadRequestCause | UnavailableCause)[]] {
  const causes: (BadRequestCause | UnavailableCause)[] = [];
  const statuses: ErrorStatus[] = [];
  if (spec.permission) {
    causes.push('token');
    // Any valid token will do: nothing to refuse with 403.
    statuses.push(401);
    if (spec.permission !== AUTHENTICATED) statuses.push(403);
  }
  if (spec.query) causes.push('query');
  if (spec.params) statuses.push(404);
  if (spec.body) {
    causes.push('body');
    statuses.push(413, 415, 422);
  }
  if (spec.conditional) statuses.push(412);
  // Every route: a token in the URL or a form body, a path that cannot be decoded; the rate limits but for health checks.
  causes.push('tokenLocation', 'malformed');
  statuses.push(400, 500);
  if (spec.rateLimited !== false) statuses.push(429);
  // Checking a token needs the issuer's keys, which can be out of reach just as the database can.
  if (spec.database !== false) causes.push('database');
  if (spec.permission) causes.push('issuer');
  if (spec.database !== false || spec.permission) statuses.push(503);
  return [statuses.sort(), causes];
}

/** Express `/actors/:id` → OpenAPI `/actors/{id}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Path ids, then the conditional request headers, then the query: each with its example. */
const parametersOf = (spec: OperationDoc): Parameters =>
  [
    ...(spec.params ? idParameters(spec.params) : []),
    ...(spec.conditional ? [IF_MATCH] : []),
    ...(spec.notModified ? [IF_NONE_MATCH] : []),
    ...(spec.query ? queryParameters(spec.query) : []),
  ] as Parameters;

/** A list read a page at a time: a GET whose query takes `page` and `limit`. Its 200 carries `Link`. */
export const isPagedList = (spec: OperationDoc): boolean =>
  spec.method === 'get' && spec.query !== undefined && 'page' in spec.query.schema.shape && 'limit' in spec.query.schema.shape;

/** The JSON body; an optional one (its schema accepts `undefined`) is shown unwrapped, with `required: false`. */
function requestBody(body: BodyDoc) {
  const optional = bodyIsOptional(body);
  const schema = optional && body.schema instanceof z.ZodOptional ? (body.schema.unwrap() as z.ZodType) : body.schema;
  return { required: !optional, content: { 'application/json': { schema, example: body.example } } };
}

/** One operation with its security, permission, parameters, body and every response it can give. */
export function routeOf(spec: OperationDoc): RouteConfig {
  const [statuses, causes] = errorStatuses(spec);
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    responses[status] = answer.error
      ? { ...successResponse(answer), content: errorContent(Number(status), answer.error) }
      : successResponse(answer);
  }
  const page = responses[200];
  if (page && isPagedList(spec)) responses[200] = { ...page, headers: { ...page.headers, ...linkHeader } };
  if (spec.notModified) responses[304] = notModifiedResponse(spec.responses[200]?.headers?.ETag);
  for (const status of statuses) responses[status] = errorResponse(status, causes);

  const permission = spec.permission === AUTHENTICATED ? null : spec.permission;
  const permissionLine = permission
    ? `**Permission:** \`${permission}\` (roles: ${rolesWith(permission).join(', ')}).`
    : spec.permission === AUTHENTICATED
      ? '**Permission:** none; any valid token (every role).'
      : '**Permission:** none; no token needed.';
  const parameters = parametersOf(spec);
  return {
    method: spec.method,
    path: openApiPath(spec.canonicalPath ?? spec.path),
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, permissionLine].filter(Boolean).join('\n\n'),
    // A bearer requirement naming no permission: a valid token, whatever it may do.
    security: spec.permission ? [{ [BEARER]: permission ? [permission] : [] }] : [],
    'x-permissions': permission ? [permission] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body ? { request: { body: requestBody(spec.body) } } : {}),
    responses,
  };
}
