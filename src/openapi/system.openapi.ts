import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { defineOperation } from './operation';
import { ok } from './schemas';

/** The public routes: home, liveness, readiness, and this description itself. */
export function registerSystem(registry: OpenAPIRegistry): void {
  const tag = 'system';
  const common = { tag, permission: null, method: 'get' } as const;
  defineOperation(registry, {
    ...common,
    path: '/',
    operationId: 'home',
    summary: 'Home',
    database: false,
    responses: { 200: { description: 'The API is here', schema: ok({ home_route: z.literal(true) }) } },
  });
  defineOperation(registry, {
    ...common,
    path: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    description: 'Not rate-limited, so a monitor sharing an address with busy clients never sees 429.',
    database: false,
    rateLimited: false,
    responses: { 200: { description: 'Alive', schema: ok({ status: z.literal('ok') }) } },
  });
  defineOperation(registry, {
    ...common,
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness: the database answers',
    description: 'Not rate-limited, so a monitor sharing an address with busy clients never sees 429.',
    rateLimited: false,
    responses: { 200: { description: 'Ready to serve', schema: ok({ status: z.literal('ready') }) } },
  });
  defineOperation(registry, {
    ...common,
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the zod schemas the routes validate with. Import it into Postman, or generate a client from it.',
    database: false,
    responses: {
      200: {
        description: 'The document',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
  });
  defineOperation(registry, {
    ...common,
    path: '/docs',
    operationId: 'docs',
    summary: 'Interactive documentation (Swagger UI)',
    description: 'Served from the npm package, with no network access. `/docs` redirects to `/docs/`, where the page is.',
    database: false,
    responses: {
      200: { description: 'The Swagger UI page', contentType: 'text/html', schema: z.string() },
      301: { description: 'Redirect to `/docs/`', headers: { Location: { description: '`/docs/`', schema: { type: 'string' } } } },
    },
  });
}
