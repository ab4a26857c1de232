import { config as loadDotenv } from 'dotenv';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { devAuthSettings, loadOrCreateDevKey } from './auth/dev-identity';
import type { AuthSettings } from './auth/authenticate';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/open';
import { answerClientErrorsAsJson } from './http/client-error';
import { exitOnFatalErrors, stopOnSignals } from './lifecycle';
import { createLogger, type Logger } from './logger';

function authSettings(config: Config, logger: Logger): AuthSettings {
  if (config.auth) return { kind: 'issuer', ...config.auth };
  logger.warn('no ISSUER_BASE_URL/AUDIENCE: accepting local development tokens; get one with `npm run token -- producer`');
  return devAuthSettings(loadOrCreateDevKey());
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, config.env === 'development' && process.stdout.isTTY);
  exitOnFatalErrors(logger);

  const started = Date.now();
  const database = await openDatabase(config.database);
  const app = createApp({ config, db: database.db, auth: authSettings(config, logger), logger });
  const server = app.listen(config.port, (err?: Error) => {
    if (err) throw err;
    const { port } = server.address() as AddressInfo; // PORT=0 picks a free port
    logger.info({ port, database: database.description, ms: Date.now() - started }, `listening on http://localhost:${port}`);
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
