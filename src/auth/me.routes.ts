import { z } from 'zod';
import { operation, type Operation } from '../http/operation';
import { ok } from '../openapi/schemas';
import { permissionsOf } from './guard';
import { AUTHENTICATED } from './permissions';

/** `GET /me`: who the token is for and what it may do, for any client deciding which controls to show. */
export const identityOperations: readonly Operation<unknown>[] = [
  operation({
    method: 'get',
    path: '/me',
    tag: 'identity',
    permission: AUTHENTICATED,
    operationId: 'me',
    summary: 'Who the token is for, and its permissions',
    description: "The token's `sub` and its `permissions` claim, sorted (`[]` when the token has none). Any valid token may ask.",
    database: false,
    responses: {
      200: {
        description: "The token's subject and permissions",
        schema: ok({
          sub: z.string().meta({ description: "The token's subject", example: 'auth0|5f1c0ffee' }),
          permissions: z.array(z.string()).meta({ description: 'The permissions claim, sorted', example: ['get:actors', 'get:movies'] }),
        }),
      },
    },
    handler: ({ req, res }) => {
      // The guard let only a verified caller through.
      const payload = req.caller?.kind === 'verified' ? req.caller.auth.payload : {};
      res.json({ success: true, sub: payload.sub, permissions: permissionsOf(payload.permissions).sort() });
    },
  }),
];
