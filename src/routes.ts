import { actorOperations, type ActorDeps } from './actors/actors.routes';
import { identityOperations } from './auth/me.routes';
import { boardOperations, type BoardDeps } from './board/board.routes';
import { castingOperations, type CastingDeps } from './casting/casting.routes';
import { historyOperations, type HistoryDeps } from './history/history.routes';
import type { Operation } from './http/operation';
import { movieOperations, type MovieDeps } from './movies/movies.routes';
import { docsOperations, type DocsDeps } from './openapi/docs.routes';
import { home, probeOperations, type ProbeDeps } from './system/system.routes';

/** What the handlers of the API need, besides the guard. */
export type ApiDeps = ProbeDeps & DocsDeps & ActorDeps & MovieDeps & CastingDeps & HistoryDeps & BoardDeps;

const resources = [
  ...docsOperations,
  ...identityOperations,
  ...actorOperations,
  ...movieOperations,
  ...castingOperations,
  ...historyOperations,
  ...boardOperations,
];

/** Every operation but the health checks, which are mounted apart (before the caller is identified). */
export const apiOperations: readonly Operation<ApiDeps>[] = [home, ...resources];

/** Every operation of the API, in the order the OpenAPI document lists them. */
export const OPERATIONS: readonly Operation<ApiDeps>[] = [home, ...probeOperations, ...resources];

export { probeOperations };
