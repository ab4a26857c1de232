import { config as loadDotenv } from 'dotenv';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { authSettingsFor, devModeHint } from './auth/dev-identity';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open';
import { answerClientErrorsAsJson } from './http/client-error';
import { exitOnFatalErrors, stopOnSignals } from './lifecycle';
import { createLogger } from './logger';


async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, config.env === 'development' && process.stdout.isTTY);
  exitOnFatalErrors(logger);

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
  answerClientErrorsAsJson(server);
  stopOnSignals(server, database.close, logger);
}

main().catch((err: unknown) => {
  const reason = err instanceof ConfigError ? err.message : err instanceof Error ? err.stack ?? err.message : String(err);
  console.error(`casting-agency-api: cannot start: ${reason}`);
  process.exit(1);
});
