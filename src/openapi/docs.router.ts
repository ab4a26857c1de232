import { Router, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { notFound } from '../http/errors';
import { methodNotAllowed } from '../http/routing';
import { buildOpenApiDocument } from './document';

const swaggerOptions = {
  // Relative to the page (/docs/), so the UI also works behind a path prefix.
  url: '../openapi.json',
  tryItOutEnabled: true,
  displayRequestDuration: true,
  persistAuthorization: false,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
};

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
 * `GET /openapi.json` and `GET /docs`: Swagger UI, its scripts and styles served from the
 * swagger-ui-dist package (nothing from a CDN). The page loads the document from /openapi.json.
 */
export function apiDocsRouter(): Router {
  const document = buildOpenApiDocument();
  const options = { customSiteTitle: 'Casting Agency API', swaggerUrl: swaggerOptions.url, swaggerOptions };
  const page = swaggerUi.generateHTML(undefined, options);

  const router = Router();
  router
    .route('/openapi.json')
    .get((_req, res) => void res.json(document))
    .all(methodNotAllowed('GET'));
  // The init script and the files; `/docs` without the slash is redirected to `/docs/` here.
  router.use('/docs', onlyPageFiles, swaggerUi.serveFiles(undefined, options));
  router
    .route('/docs')
    .get((_req, res) => void res.type('html').send(page))
    .all(methodNotAllowed('GET'));
  return router;
}
