import { config as loadDotenv } from 'dotenv';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { authSettingsFor, devModeHint } from './auth/dev-identity';
import { TokenCache } from './auth/token-cache';
import { isClusterWorker, runPrimary, workerCount } from './cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/open';
import { createLogger, type Logger } from './logger';

const SHUTDOWN_DEADLINE_MS = 9_000;

const TOKEN_CACHE_TTL_MS = 60_000;

function stopOnSignals(server: Server, close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    setTimeout(() => {
      logger.error('requests still running at the deadline; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close(() => {
      close()
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          logger.error({ err }, 'closing the database failed');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, config.env === 'development' && process.stdout.isTTY);
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection; exiting so the platform restarts the process');
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; exiting so the platform restarts the process');
    process.exit(1);
  });

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
  const tokenCache = new TokenCache<AuthResult>({ maxEntries: config.tokenCacheSize, ttlMs: TOKEN_CACHE_TTL_MS });
  const auth = { ...authSettingsFor(config), tokenCache };
  const app = createApp({ config, db: database.db, auth, logger });
  const server = app.listen(config.port, (err?: Error) => {
    if (err) throw err;
    // The bound port, not the configured one: PORT=0 picks a free port.
    const { port } = server.address() as AddressInfo;
    const timing = { ms: Date.now() - started, since_process_start_ms: Math.round(process.uptime() * 1000) };
    logger.info({ port, database: database.description, ...timing }, `listening on http://localhost:${port}`);
    if (auth.kind === 'key') logger.warn(devModeHint(port));
  });
  // Keep-alive longer than Heroku's router (55 s) so it never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  stopOnSignals(server, database.close, logger);
}

main().catch((err: unknown) => {
  const reason = err instanceof ConfigError ? err.message : err instanceof Error ? err.stack ?? err.message : String(err);
  console.error(`casting-agency-api: cannot start: ${reason}`);
  process.exit(1);
});
