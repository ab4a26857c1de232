import { z } from 'zod';
import { ErrorCode, notFound } from '../http/errors';
import { operation, type Operation } from '../http/operation';
import { ok } from '../openapi/schemas';
import { answersDevToken, notBuilt, sendPage } from './board.files';
import type { Board } from './board.settings';

export type BoardDeps = { board: Board };

const common = { tag: 'board', permission: null, database: false } as const;

const SignInSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('development') }),
    z.strictObject({
      mode: z.literal('auth0'),
      domain: z
        .string()
        .meta({ description: "The Auth0 tenant's origin, with its scheme and no trailing slash", example: 'https://tenant.auth0.com' }),
      clientId: z.string().meta({ description: 'The Auth0 Single Page Application (AUTH0_CLIENT_ID)' }),
      audience: z.string().meta({ description: 'The API identifier the tokens are for (AUDIENCE)', example: 'casting-agency' }),
    }),
    z.strictObject({ mode: z.literal('token') }),
  ])
  .meta({
    id: 'SignIn',
    description: 'How the web app signs people in',
    example: { mode: 'auth0', domain: 'https://tenant.auth0.com', clientId: 'k3yFr0mTh3SpaApp', audience: 'casting-agency' },
  });

const DevTokenBody = z.strictObject({ role: z.enum(['assistant', 'director', 'producer']) });

const PAGE = `The casting board, a single-page app for the three roles. Every other path under \`/app/\` that names no file (\`/app/actors/12\`, \`/app/movies/3/edit\`) answers this same page, which shows that screen; its scripts and styles are under \`/app/assets/\` with content-hashed names, cached for a year (\`immutable\`).`;

/** The web app at /app/ (its files: board.files.ts), its sign-in settings, and development sign-in. */
export const boardOperations: readonly Operation<BoardDeps>[] = [
  operation({
    ...common,
    method: 'get',
    path: '/app',
    // boardFiles answers `/app` with 301 to `/app/`; this handler sees only `/app/`.
    canonicalPath: '/app/',
    operationId: 'board',
    summary: 'The casting board (web app)',
    description: PAGE,
    responses: {
      200: {
        description: 'The page (`Cache-Control: no-cache`: revalidated on every load)',
        contentType: 'text/html',
        schema: z.string(),
        headers: { 'Cache-Control': { description: '`no-cache`', required: true, schema: { type: 'string' }, example: 'no-cache' } },
      },
      503: {
        description: 'The web app has not been built (`npm run build`)',
        error: { code: ErrorCode.webAppNotBuilt, message: notBuilt().message },
      },
    },
    handler: ({ res }, { board }: BoardDeps) => sendPage(board, res),
  }),
  operation({
    ...common,
    method: 'get',
    path: '/app/config.json',
    operationId: 'boardConfig',
    summary: "The web app's sign-in settings",
    description:
      '`development` when the server accepts development tokens (no issuer configured); `auth0` with an issuer and `AUTH0_CLIENT_ID`; `token` with an issuer alone (the page asks for a token).',
    responses: { 200: { description: 'How to sign in', schema: SignInSchema } },
    handler: ({ res }, { board }: BoardDeps) => void res.set('Cache-Control', 'no-cache').json(board.signIn),
  }),
  operation({
    ...common,
    method: 'post',
    path: '/app/dev-token',
    operationId: 'devToken',
    summary: 'A development token for a role',
    description:
      'Development sign-in for the web app: a 24 h token for the role, signed like `npm run token`. Answered only when the server accepts development tokens (no issuer, never in production) **and** the TCP peer is a loopback address, whatever `X-Forwarded-For` says; anything else gets the unknown-route 404.',
    body: { schema: DevTokenBody, example: { role: 'producer' } },
    responses: {
      200: {
        description: 'The token (`Cache-Control: no-store`)',
        schema: ok({ token: z.string().meta({ description: 'An RS256 access token for the role' }) }),
      },
      404: {
        description: 'Not answered here: development tokens are not accepted, or the request did not come from this machine (`not_found`)',
        error: { code: ErrorCode.notFound, message: 'No route for POST /app/dev-token' },
      },
    },
    handler: ({ body, req, res }, { board }: BoardDeps) => {
      // boardFiles has already answered 404 to anyone else; checked again here, where the token is signed.
      if (!board.devToken || !answersDevToken(board, req)) throw notFound(`No route for ${req.method} ${req.path}`);
      res.set('Cache-Control', 'no-store').json({ success: true, token: board.devToken(body.role) });
    },
  }),
];
