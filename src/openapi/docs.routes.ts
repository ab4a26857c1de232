import { Router, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { operation, type Operation } from '../http/operation';
import { methodNotAllowed } from '../http/routing';
import type { OpenApiDocument } from './document';

export type DocsDeps = { document: OpenApiDocument };

const swaggerOptions = {
  // Relative to the page (/docs/), so the UI also works behind a path prefix.
  url: '../openapi.json',
  tryItOutEnabled: true,
  displayRequestDuration: true,
  persistAuthorization: false,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
};
const pageOptions = { customSiteTitle: 'Casting Agency API', swaggerUrl: swaggerOptions.url, swaggerOptions };

/**
 * What the page loads (swagger-ui-express's HTML and its init script), and nothing else of the
 * swagger-ui-dist folder: not its package.json, its demo index.html, its source maps or its other bundles.
 */
const PAGE_ASSETS: ReadonlySet<string> = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'swagger-ui-init.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

/**
 * The asset a path under /docs names, compared once decoded, because the file server decodes it too
 * (`%70ackage.json` is package.json to it). `null`: anything else, a `//`, a dot segment or broken %-encoding.
 */
const assetOf = (path: string): string | null => {
  try {
    const name = decodeURIComponent(path.slice(1));
    return PAGE_ASSETS.has(name) ? name : null;
  } catch {
    return null;
  }
};

const allowGet = methodNotAllowed('GET');

/** Lets through `/docs`, `/docs/` and the page's assets (GET and HEAD); everything else is our JSON 404 or 405. */
const onlyPageFiles: RequestHandler = (req, res, next) => {
  if (req.path === '/') return next();
  if (!assetOf(req.path)) return next(notFound(`No route for ${req.method} ${req.baseUrl}${req.path}`));
  if (req.method !== 'GET' && req.method !== 'HEAD') return allowGet(req, res, next);
  next();
};

/**
 * Swagger UI's scripts and styles, served from the swagger-ui-dist package (nothing from a CDN);
 * `/docs` without the slash is redirected to `/docs/` here. Mount it before the `/docs` operation.
 */
export function docsAssets(): Router {
  return Router().use('/docs', onlyPageFiles, swaggerUi.serveFiles(undefined, pageOptions));
}

const PAGE = swaggerUi.generateHTML(undefined, pageOptions);
const common = { tag: 'system', permission: null, method: 'get', database: false } as const;

/** `GET /openapi.json` and the page at `/docs/`, which loads the document from it. */
export const docsOperations: readonly Operation<DocsDeps>[] = [
  operation({
    ...common,
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the zod schemas the routes validate with. Import it into Postman, or generate a client from it.',
    responses: {
      200: {
        description: 'The document',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
    handler: ({ res }, { document }: DocsDeps) => void res.json(document),
  }),
  operation({
    ...common,
    path: '/docs',
    // swagger-ui-express's file server answers `/docs` with 301 to `/docs/`; this handler sees only `/docs/`.
    canonicalPath: '/docs/',
    operationId: 'docs',
    summary: 'Interactive documentation (Swagger UI)',
    description: 'Served from the npm package, with no network access. `/docs` redirects here.',
    responses: { 200: { description: 'The Swagger UI page', contentType: 'text/html', schema: z.string() } },
    handler: ({ res }) => void res.type('html').send(PAGE),
  }),
];
