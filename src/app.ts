import cors from 'cors';
import express, { type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { actorsRepository } from './actors/actors.repository';
import { actorsRouter } from './actors/actors.router';
import { createAuthenticate, type AuthSettings } from './auth/authenticate';
import { createGuard } from './auth/guard';
import { castingRepository } from './casting/casting.repository';
import { castingRouter } from './casting/casting.router';
import type { Config } from './config';
import type { Db } from './db/db';
import { errorHandler } from './http/error-handler';
import { ErrorCode, errorBody } from './http/errors';
import { requestId } from './http/request-id';
import { methodNotAllowed, unknownRoute } from './http/routing';
import type { Logger } from './logger';
import { moviesRepository } from './movies/movies.repository';
import { moviesRouter } from './movies/movies.router';
import { apiDocsRouter } from './openapi/docs.router';

export type AppDeps = {
  config: Pick<Config, 'corsOrigins'>;
  db: Db;
  auth: AuthSettings;
  logger: Logger;
};

export function createApp({ config, db, auth, logger }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  app.set('etag', false);

  app.use(
    pinoHttp({
      logger,
      genReqId: requestId,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessObject: (req, _res, value) => ({ ...value, sub: (req as Request).auth?.payload.sub }),
      customErrorObject: (req, _res, _err, value) => ({ ...value, sub: (req as Request).auth?.payload.sub }),
    }),
  );
  app.use(
    cors({
      origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
      exposedHeaders: ['Location', 'X-Request-Id', 'ETag', 'Retry-After'],
      maxAge: 600,
    }),
  );

  const guard = createGuard(createAuthenticate(auth));

  app.route('/').get((_req, res) => void res.json({ success: true, home_route: true })).all(methodNotAllowed('GET'));
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

  app.use(apiDocsRouter());
  app.use('/actors', actorsRouter(actorsRepository(db), guard));
  app.use('/movies', moviesRouter(moviesRepository(db), guard));
  app.use(castingRouter(castingRepository(db), guard));
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
