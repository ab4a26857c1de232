import { config as loadDotenv } from 'dotenv';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { authSettingsFor, devModeHint } from './auth/dev-identity';
import { boardFor } from './board/board.settings';
import { isClusterWorker, runPrimary, workerCount } from './cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { SEARCH_MAX_AGE_MS } from './db/list-cache';
import { openDatabase } from './db/open';
import { startSearchCountFolds } from './db/search-counts';
import { historyRepository } from './history/history.repository';
import { countInProcess } from './http/rate-limit';
import { redisRateLimits } from './http/rate-limit-redis';
import { createHttpServer } from './http/server-limits';
import { exitOnFatalErrors, stopOnSignals } from './lifecycle';
import { createLogger, type Logger } from './logger';

const REDIS_WAIT_MS = 2_000;

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, config.env === 'development' && process.stdout.isTTY);
  exitOnFatalErrors(logger);

  const workers = workerCount(config, logger);
  if (workers > 1 && !isClusterWorker()) {
    runPrimary(workers, logger);
    return;
  }
  await serve(config, logger);
}

async function serve(config: Config, logger: Logger): Promise<void> {
  const started = Date.now();
  const database = await openDatabase(config.database);
  const auth = authSettingsFor(config);
  const searchCache = { maxEntries: config.searchCacheSize, maxAgeMs: SEARCH_MAX_AGE_MS, counted: config.countedLists };
  const folds = startSearchCountFolds(database.db, logger);
  const shared = config.rateLimitRedisUrl ? redisRateLimits(config.rateLimitRedisUrl, logger) : undefined;
  // Count from the first request when Redis is up; start anyway (uncounted until it is) when it is not.
  if (shared) await Promise.race([shared.connected, new Promise((resolve) => setTimeout(resolve, REDIS_WAIT_MS))]);
  const rateLimitStore = shared?.storeFor ?? countInProcess;
  const board = boardFor(config);
  const app = createApp({ config, db: database.db, auth, searchCache, logger, rateLimitStore, history: historyRepository(), board });
  // A failure to listen (the port is taken) is an 'error' event nobody handles: exitOnFatalErrors logs it and exits 1.
  const server = createHttpServer(app, config.http).listen(config.port, () => {
    // The bound port, not the configured one: PORT=0 picks a free port.
    const { port } = server.address() as AddressInfo;
    const timing = { ms: Date.now() - started, since_process_start_ms: Math.round(process.uptime() * 1000) };
    logger.info({ port, database: database.description, ...timing }, `listening on http://localhost:${port}`);
    if (auth.kind === 'key') logger.warn(devModeHint(port));
  });
  // Keep-alive longer than Heroku's router (55 s) so it never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  stopOnSignals(
    server,
    async () => {
      await shared?.close();
      await folds.stop();
      await database.close();
    },
    logger,
  );
}

main().catch((err: unknown) => {
  const reason = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(`casting-agency-api: cannot start: ${reason}`);
  process.exit(1);
});
