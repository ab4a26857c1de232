import cors from 'cors';
import express from 'express';
import { actorsRepository } from './actors/actors.repository';
import type { AuthSettings } from './auth/authenticate';
import { identifyCaller } from './auth/caller';
import { requirePermission } from './auth/guard';
import { tokenOnlyInHeader } from './auth/token-location';
import { castingRepository } from './casting/casting.repository';
import type { Config } from './config';
import type { Db } from './db/db';
import { DEFAULT_LIST_CACHE } from './db/list-cache';
import { accessLog } from './http/access-log';
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
  mount(app, probeOperations, { db, guard: null });

  app.use(identifyCaller(auth), rateLimits(config.rateLimit ?? NO_RATE_LIMITS, logger, rateLimitStore));
  const guard = requirePermission;

  app.use(docsAssets());
  const listCache = { ...DEFAULT_LIST_CACHE, maxEntries: config.searchCacheSize ?? DEFAULT_LIST_CACHE.maxEntries };
  mount(app, apiOperations, {
    guard,
    db,
    document: buildOpenApiDocument(),
    actors: actorsRepository(listCache),
    movies: moviesRepository(listCache),
    casting: castingRepository(),
  });
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
