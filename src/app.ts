import cors from 'cors';
import express, { type Request, type Response } from 'express';
import { actorsRepository } from './actors/actors.repository';
import { actorsRouter } from './actors/actors.router';
import { createAuthenticate, type AuthSettings } from './auth/authenticate';
import { createGuard } from './auth/guard';
import { castingRepository } from './casting/casting.repository';
import { castingRouter } from './casting/casting.router';
import type { Config } from './config';
import type { Db } from './db/db';
import { DEFAULT_LIST_CACHE } from './db/list-cache';
import { accessLog } from './http/access-log';
import { identifyCaller } from './http/caller';
import { errorHandler } from './http/error-handler';
import { ErrorCode, errorBody } from './http/errors';
import { createIfMatch } from './http/etag';
import { rateLimits, type StoreFor } from './http/rate-limit';
import { methodNotAllowed, unknownRoute } from './http/routing';
import { securityHeaders } from './http/security-headers';
import { tokenOnlyInHeader } from './http/token-location';
import type { Logger } from './logger';
import { moviesRepository } from './movies/movies.repository';
import { moviesRouter } from './movies/movies.router';
import { apiDocsRouter } from './openapi/docs.router';

export type AppDeps = {
  /** `rateLimit` absent: no rate limits (tests); `env` absent: not production; `searchCacheSize` absent: the default; `trustProxy` absent: none. */
  config: Pick<Config, 'corsOrigins'> & Partial<Pick<Config, 'env' | 'rateLimit' | 'searchCacheSize' | 'trustProxy'>>;
  db: Db;
  auth: AuthSettings;
  logger: Logger;
  /** Shared rate-limit counters (e.g. Redis, for several dynos); absent: counted in this process. */
  rateLimitStore?: StoreFor;
};

const NO_RATE_LIMITS = { readsPerMinute: 0, writesPerMinute: 0, searchesPerMinute: 0 };

export function createApp({ config, db, auth, logger, rateLimitStore }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Hops whose X-Forwarded-For is believed: with none in front, a client could name any address and dodge its limits.
  app.set('trust proxy', config.trustProxy ?? 0);
  app.set('etag', false);

  app.use(accessLog(logger));
  app.use(securityHeaders({ production: config.env === 'production' }));
  app.use(
    cors({
      origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'],
      exposedHeaders: ['Location', 'X-Request-Id', 'ETag', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
      maxAge: 600,
    }),
  );

  app.use(tokenOnlyInHeader);
  // Monitors probe these, often from an address shared with busy clients: no token, no rate limit.
  app.route('/health').get((_req, res) => void res.json({ success: true, status: 'ok' })).all(methodNotAllowed('GET'));
  app
    .route('/ready')
    .get(async (_req: Request, res: Response) => {
      try {
        await db.query('SELECT 1');
        res.json({ success: true, status: 'ready' });
      } catch {
        res.status(503).json(errorBody(503, ErrorCode.databaseUnavailable, 'The database does not answer'));
      }
    })
    .all(methodNotAllowed('GET'));

  const caller = identifyCaller(createAuthenticate(auth));
  app.use(caller.identify, rateLimits(config.rateLimit ?? NO_RATE_LIMITS, logger, rateLimitStore));
  const guard = createGuard(caller.authenticate);
  const ifMatch = createIfMatch(db);

  app.route('/').get((_req, res) => void res.json({ success: true, home_route: true })).all(methodNotAllowed('GET'));
  app.use(apiDocsRouter());
  const listCache = { ...DEFAULT_LIST_CACHE, maxEntries: config.searchCacheSize ?? DEFAULT_LIST_CACHE.maxEntries };
  app.use('/actors', actorsRouter(actorsRepository(db, listCache), guard, ifMatch));
  app.use('/movies', moviesRouter(moviesRepository(db, listCache), guard, ifMatch));
  app.use(castingRouter(castingRepository(db), guard));
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
