import express from 'express';
import { actorsRepository } from './actors/actors.repository';
import type { AuthSettings } from './auth/authenticate';
import { identifyCaller } from './auth/caller';
import { requirePermission } from './auth/guard';
import { tokenOnlyInHeader } from './auth/token-location';
import { boardFiles } from './board/board.files';
import { tenantOriginOf, type Board } from './board/board.settings';
import { castingRepository } from './casting/casting.repository';
import type { Config } from './config';
import type { Db } from './db/db';
import type { ListCacheOptions } from './db/list-cache';
import type { HistoryRepository } from './history/history.repository';
import { accessLog } from './http/access-log';
import { corsPolicy } from './http/cors';
import { errorHandler } from './http/error-handler';
import { rateLimits, type StoreFor } from './http/rate-limit';
import { mount } from './http/mount';
import { unknownRoute } from './http/routing';
import { securityHeaders } from './http/security-headers';
import type { Logger } from './logger';
import { moviesRepository } from './movies/movies.repository';
import { docsAssets } from './openapi/docs.routes';
import { buildOpenApiDocument } from './openapi/document';
import { apiOperations, probeOperations } from './routes';

/** The settings the app itself reads; src/server.ts passes the Config, the tests `testConfig()`. */
export type AppConfig = Pick<Config, 'env' | 'corsOrigins' | 'rateLimit' | 'trustProxy'>;

/** Everything the app uses, built by the caller (src/server.ts from Config): the app does no I/O of its own. */
export type AppDeps = {
  config: AppConfig;
  db: Db;
  auth: AuthSettings;
  /** The search results each table keeps (SEARCH_CACHE_SIZE). */
  searchCache: ListCacheOptions;
  logger: Logger;
  /** Where the rate-limit counters live: this process (`countInProcess`) or Redis, shared by every dyno. */
  rateLimitStore: StoreFor;
  /** Where every write records its change, in the write's own transaction (`historyRepository()`). */
  history: HistoryRepository;
  /** The casting board at /app/: its build, how it signs people in (`boardFor(config)`). */
  board: Board;
};

export function createApp({ config, db, auth, searchCache, logger, rateLimitStore, history, board }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Hops whose X-Forwarded-For is believed: with none in front, a client could name any address and dodge its limits.
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);

  app.use(accessLog(logger));
  app.use(securityHeaders({ production: config.env === 'production', tenantOrigin: tenantOriginOf(board.signIn) }));
  app.use(corsPolicy(config.corsOrigins));

  app.use(tokenOnlyInHeader);
  // Monitors probe these, often from an address shared with busy clients: no token, no rate limit.
  mount(app, probeOperations, { db, guard: null });

  app.use(identifyCaller(auth), rateLimits(config.rateLimit, logger, rateLimitStore));
  const guard = requirePermission;

  app.use(docsAssets(), boardFiles(board));
  mount(app, apiOperations, {
    guard,
    db,
    document: buildOpenApiDocument(),
    actors: actorsRepository(searchCache),
    movies: moviesRepository(searchCache),
    casting: castingRepository(),
    history,
    board,
  });
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
