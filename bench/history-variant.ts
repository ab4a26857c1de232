import { createApp } from '../src/app';
import { authSettingsFor } from '../src/auth/dev-identity';
import { boardFor } from '../src/board/board.settings';
import { loadConfig } from '../src/config';
import type { Db } from '../src/db/db';
import { SEARCH_MAX_AGE_MS } from '../src/db/list-cache';
import { openDatabase } from '../src/db/open';
import { historyRepository, type HistoryRepository } from '../src/history/history.repository';
import { countInProcess } from '../src/http/rate-limit';
import { createHttpServer } from '../src/http/server-limits';
import { stopOnSignals } from '../src/lifecycle';
import { createLogger } from '../src/logger';

/*
 * The API composed as src/server.ts composes it, for the "write with / without history" rows. Both
 * variants run this same script, so what differs between their rows is the history alone.
 * BENCH_HISTORY=off gives the app a history that records nothing and a database whose
 * `transaction(fn)` runs `fn` on the pool, one statement at a time: a PATCH without If-Match then
 * sends exactly what it sent before history existed (one UPDATE, no BEGIN/COMMIT). Bench-only: the
 * API itself has no switch for its history.
 */
const config = loadConfig(process.env);
const off = process.env.BENCH_HISTORY === 'off';

const noTransactions = (db: Db): Db => ({ ...db, transaction: (fn) => fn(db) });
const recordsNothing: HistoryRepository = { ...historyRepository(), record: async () => undefined };

async function main(): Promise<void> {
  const database = await openDatabase(config.database);
  const logger = createLogger(config.logLevel, false);
  const app = createApp({
    config,
    db: off ? noTransactions(database.db) : database.db,
    auth: authSettingsFor(config),
    searchCache: { maxEntries: config.searchCacheSize, maxAgeMs: SEARCH_MAX_AGE_MS },
    logger,
    rateLimitStore: countInProcess,
    history: off ? recordsNothing : historyRepository(),
    board: boardFor(config),
  });
  const server = createHttpServer(app, config.http).listen(config.port, '127.0.0.1');
  server.keepAliveTimeout = 65_000;
  stopOnSignals(server, () => database.close(), logger);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
