import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { OperationDoc } from '../http/operation';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_S, CORS_METHODS } from '../http/cors';
import { capitalized } from '../lib/words';
import { requestIdHeader } from './responses';
import { routeOf } from './operation';

/*
 * The answers Express and the middleware give on their own, described as operations so that tools
 * which check real traffic against the document (Prism, Portman) accept them: HEAD wherever there
 * is GET, OPTIONS on every path, and the redirect of a path to its canonical form (`/docs` → `/docs/`).
 */

type Described = RouteConfig & { description: string; summary: string };

/** `GET path` answering 301 to the operation's canonical path, with the errors the operation can give. */
export function redirectRoute(spec: OperationDoc & { canonicalPath: string }): RouteConfig {
  const { canonicalPath } = spec;
  return routeOf({
    ...spec,
    canonicalPath: undefined,
    operationId: `${spec.operationId}Redirect`,
    summary: `Redirect to \`${canonicalPath}\``,
    description: `Redirects (301) to \`${canonicalPath}\`, keeping the query string.`,
    responses: {
      301: {
        description: `Moved to \`${canonicalPath}\``,
        headers: {
          Location: {
            description: `\`${canonicalPath}\`, then the query string if any`,
            required: true,
            schema: { type: 'string' },
            example: canonicalPath,
          },
        },
      },
    },
  });
}

/** HEAD of a GET: the same statuses and headers, no body (Express answers HEAD with the GET route). */
export function headRoute(get: Described): RouteConfig {
  const responses = Object.fromEntries(
    Object.entries(get.responses).map(([status, response]) => {
      const { content: _body, ...headersOnly } = response as ResponseConfig;
      return [status, headersOnly];
    }),
  );
  return {
    ...get,
    method: 'head',
    operationId: `head${capitalized(get.operationId ?? '')}`,
    summary: `${get.summary}: headers only`,
    description: `\`GET\` without the body: the same statuses and headers.\n\n${get.description}`,
    responses,
  };
}

const header = (description: string, example: string) => ({ description, required: true, schema: { type: 'string' as const }, example });

/**
 * OPTIONS of a path. The CORS middleware answers every OPTIONS request itself, before the token is
 * read and the path is routed: 204 naming what a browser may send, the same on every path.
 */
export function optionsRoute(path: string, first: RouteConfig): RouteConfig {
  return {
    method: 'options',
    path,
    operationId: `options${capitalized(first.operationId ?? '')}`,
    tags: first.tags ?? [],
    summary: 'CORS preflight',
    description:
      "A browser's preflight, answered before anything else, with no token. It names every method and request header the API takes, not this path's: a method this path does not have answers 405 (`x-method-not-allowed`) with `Allow`.",
    security: [],
    'x-permissions': [],
    // The path's ids, as its other operations take them (no id is checked: any value answers 204).
    parameters: (first.parameters ?? []).filter((p) => 'in' in p && p.in === 'path') as RouteConfig['parameters'],
    responses: {
      204: {
        description: 'What a browser may send to the API',
        headers: {
          ...requestIdHeader,
          'Access-Control-Allow-Methods': header('The methods the API takes', CORS_METHODS.join(',')),
          'Access-Control-Allow-Headers': header('The request headers the API reads', CORS_ALLOWED_HEADERS.join(',')),
          'Access-Control-Max-Age': header('Seconds the browser may keep this answer', String(CORS_MAX_AGE_S)),
          'Access-Control-Allow-Origin': {
            description: 'The origin, or `*`, when the request came from one that `CORS_ORIGINS` allows',
            schema: { type: 'string' },
            example: '*',
          },
        },
      },
    },
  };
}

/** Every route, with HEAD after each GET and one OPTIONS per path, in the order the document lists them. */
export function withImplicitMethods(operations: readonly OperationDoc[]): RouteConfig[] {
  const routes = operations.flatMap((op) =>
    op.canonicalPath === undefined ? [routeOf(op)] : [redirectRoute({ ...op, canonicalPath: op.canonicalPath }), routeOf(op)],
  );
  const withHead = routes.flatMap((route) => (route.method === 'get' ? [route, headRoute(route as Described)] : [route]));
  const firstByPath = new Map<string, RouteConfig>();
  for (const route of routes) if (!firstByPath.has(route.path)) firstByPath.set(route.path, route);
  return [...withHead, ...[...firstByPath].map(([path, first]) => optionsRoute(path, first))];
}
