import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ROLES, type Permission } from '../auth/permissions';
import type { IdParams, OperationDoc, QueryDoc } from '../http/operation';
import { errorResponse, successResponse, type BadRequestCause, type ErrorStatus, type UnavailableCause } from './responses';
import { IdParam } from './schemas';

export const BEARER = 'bearerAuth';

const IfMatchHeader = z.strictObject({
  'If-Match': z.string().optional().meta({
    description:
      'The `ETag` from `GET` of this resource, e.g. `"0ZEqz…"`: the change is made only if it still matches (else 412). `*` (the example): any existing version',
    example: '*',
  }),
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
export function queryParameters({ schema, describe }: QueryDoc): NonNullable<RouteConfig['parameters']> {
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
    statuses.push(401, 403);
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

/** Every id parameter is the `Id` that `parseId` checks. */
const idParams = (params: IdParams) => z.strictObject(Object.fromEntries(Object.keys(params).map((name) => [name, IdParam])));

/** Registers one operation with its security, permission, parameters, body and every response it can give. */
export function defineOperation(registry: OpenAPIRegistry, spec: OperationDoc): void {
  const [statuses, causes] = errorStatuses(spec);
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, success] of Object.entries(spec.responses)) responses[status] = successResponse(success);
  for (const status of statuses) responses[status] = errorResponse(status, causes);

  const permissionLine = spec.permission
    ? `**Permission:** \`${spec.permission}\` (roles: ${rolesWith(spec.permission).join(', ')}).`
    : '**Permission:** none; no token needed.';
  const route: RouteConfig = {
    method: spec.method,
    path: openApiPath(spec.path),
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, permissionLine].filter(Boolean).join('\n\n'),
    security: spec.permission ? [{ [BEARER]: [spec.permission] }] : [],
    'x-permissions': spec.permission ? [spec.permission] : [],
    ...(spec.query ? { parameters: queryParameters(spec.query) } : {}),
    request: {
      ...(spec.params ? { params: idParams(spec.params) } : {}),
      ...(spec.conditional ? { headers: IfMatchHeader } : {}),
      ...(spec.body
        ? { body: { required: true, content: { 'application/json': { schema: spec.body.schema, example: spec.body.example } } } }
        : {}),
    },
    responses,
  };
  registry.registerPath(route);
}
