import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { methodNotAllowed, unknownRoute } from '../http/routing';
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
  // swagger-ui-express refuses its package's package.json with a plain-text 404: ours, in JSON.
  router.all('/docs/package.json', unknownRoute);
  // Assets and the page's init script; `/docs` without the slash is redirected to `/docs/` here.
  router.use('/docs', swaggerUi.serveFiles(undefined, options));
  router
    .route('/docs')
    .get((_req, res) => void res.type('html').send(page))
    .all(methodNotAllowed('GET'));
  return router;
}
