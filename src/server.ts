import { config as loadDotenv } from 'dotenv';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { authSettingsFor, devModeHint } from './auth/dev-identity';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open';
import { createLogger, type Logger } from './logger';

const SHUTDOWN_DEADLINE_MS = 9_000;

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

  const started = Date.now();
  const database = await openDatabase(config.database);
  const auth = authSettingsFor(config);
  const app = createApp({ config, db: database.db, auth, logger });
  const server = app.listen(config.port, (err?: Error) => {
    if (err) throw err;
    // The bound port, not the configured one: PORT=0 picks a free port.
    const { port } = server.address() as AddressInfo;
    logger.info({ port, database: database.description, ms: Date.now() - started }, `listening on http://localhost:${port}`);
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
