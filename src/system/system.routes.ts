import { z } from 'zod';
import type { Db } from '../db/db';
import { ErrorCode, errorBody } from '../http/errors';
import { operation, type Operation } from '../http/operation';
import { ok } from '../openapi/schemas';

export type ProbeDeps = { db: Db };

const common = { tag: 'system', permission: null, method: 'get' } as const;
const NOT_RATE_LIMITED = 'Not rate-limited, so a monitor sharing an address with busy clients never sees 429.';

export const home = operation({
  ...common,
  path: '/',
  operationId: 'home',
  summary: 'Home',
  database: false,
  responses: { 200: { description: 'The API is here', schema: ok({ home_route: z.literal(true) }) } },
  handler: ({ res }) => void res.json({ success: true, home_route: true }),
});

/** Liveness and readiness: mounted before the caller is identified, so no token is read and no limit counts them. */
export const probeOperations: readonly Operation<ProbeDeps>[] = [
  operation({
    ...common,
    path: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    description: NOT_RATE_LIMITED,
    database: false,
    rateLimited: false,
    responses: { 200: { description: 'Alive', schema: ok({ status: z.literal('ok') }) } },
    handler: ({ res }) => void res.json({ success: true, status: 'ok' }),
  }),
  operation({
    ...common,
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness: the database answers',
    description: NOT_RATE_LIMITED,
    rateLimited: false,
    responses: { 200: { description: 'Ready to serve', schema: ok({ status: z.literal('ready') }) } },
    handler: async ({ res }, { db }: ProbeDeps) => {
      try {
        await db.query('SELECT 1');
        res.json({ success: true, status: 'ready' });
      } catch {
        res.status(503).json(errorBody(503, ErrorCode.databaseUnavailable, 'The database does not answer'));
      }
    },
  }),
];
