import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { OperationDoc } from '../http/operation';
import { OPERATIONS } from '../routes';
import { addResponseExamples } from './examples';
import { withImplicitMethods } from './methods';
import { BEARER } from './operation';
import { LINK_HEADER, METHOD_NOT_ALLOWED, REQUEST_ID_HEADER } from './responses';
import { withDatePattern } from './schemas';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const DESCRIPTION = `Actors, movies and who is cast in which movie, behind Auth0 role-based access control.

**Tokens.** Every route except the system ones needs \`Authorization: Bearer <token>\`, and the
permission its description names. On a local server with no Auth0 issuer configured, get a
token with \`npm run token -- assistant|director|producer\` and paste it under *Authorize*.

**Errors** are JSON with one shape (\`Error\`). Besides the answers listed per operation: an
unknown path is 404 \`not_found\`, and a known path with a method it does not list is 405
\`method_not_allowed\` with an \`Allow\` header (\`x-method-not-allowed\`, the response
\`MethodNotAllowed\`). Every \`GET\` also answers \`HEAD\`, and every path \`OPTIONS\` (CORS).`;

/**
 * Swagger UI served by this server resolves `/` against the page, so "Try it out" calls the server
 * the page came from (Heroku, or a local one). Tools that read the document from a file have no
 * such base: the second entry is any server, a local one by default. Its host and port are
 * variables rather than a literal `localhost`, which Redocly refuses as a placeholder.
 */
const SERVERS = [
  { url: '/', description: 'The server this document was loaded from' },
  {
    url: 'http://{host}:{port}',
    description: 'Any server of this API over HTTP; by default a local one (`npm run dev`)',
    variables: { host: { default: 'localhost' }, port: { default: '3000' } },
  },
];

let cached: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document of the API, described from the operations the app mounts (built once). */
export function buildOpenApiDocument(): OpenApiDocument {
  cached ??= describe(OPERATIONS);
  return cached;
}

/** The document of a list of operations: each with its parameters, body and every answer it can give. */
export function describe(operations: readonly OperationDoc[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An RS256 access token from the Auth0 tenant, or a local development token (`npm run token -- producer`).',
  });
  registry.registerComponent('headers', 'X-Request-Id', REQUEST_ID_HEADER);
  registry.registerComponent('headers', 'Link', LINK_HEADER);
  registry.registerComponent('responses', 'MethodNotAllowed', METHOD_NOT_ALLOWED);
  for (const route of withImplicitMethods(operations)) registry.registerPath(route);
  const generated = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Casting Agency API',
      version: '1.0.0',
      description: DESCRIPTION,
      contact: { name: 'Casting Agency API maintainers' },
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: SERVERS,
    tags: [
      { name: 'actors', description: 'The people who can be cast' },
      { name: 'movies', description: 'The films they can be cast in' },
      { name: 'system', description: 'Health, readiness and this documentation' },
      { name: 'identity', description: 'Who a token is for' },
      { name: 'board', description: 'The casting board web app at `/app/`, its sign-in settings and development sign-in' },
    ],
    // OpenAPI has no place for "any method a path does not list": it is this one response.
    'x-method-not-allowed': { $ref: '#/components/responses/MethodNotAllowed' },
  });
  return withDatePattern(addResponseExamples(generated));
}
