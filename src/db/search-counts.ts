import type { Logger } from '../logger';
import type { Queryable } from './db';

/** Pending rows one fold moves: at ~48 µs a name (counts and lists), about 0.5 s of database time. */
export const FOLD_BATCH = 10_000;
/** Folds in one tick at most, so a backlog (a bulk load) drains over several ticks instead of one long run. */
const FOLDS_PER_TICK = 5;
/** How often the pending table is vacuumed after folds removed rows from it (autovacuum wakes once a minute). */
const VACUUM_EVERY_MS = 10_000;

export type SearchCountFolds = { stop(): Promise<void> };

/**
 * Moves the writes pending in `search_pending` into the kept fragment counts (migration 006), every
 * `intervalMs`, off the writers' transactions. Counts are exact whether or not a fold has run: this
 * only keeps the pending table small, which every short search reads whole. Every process folds;
 * the database lets one fold run at a time (the others find the lock taken and skip). A failed fold
 * is logged and tried again on the next tick. Every VACUUM_EVERY_MS after folds, the pending table
 * is vacuumed.
 */
export function startSearchCountFolds(db: Queryable, logger: Logger, intervalMs = 1_000, now = Date.now): SearchCountFolds {
  let running: Promise<void> | undefined;
  let foldedSinceVacuum = false;
  let vacuumedAt = now();
  const tick = async () => {
    try {
      for (let i = 0; i < FOLDS_PER_TICK; i += 1) {
        const [row] = await db.query<{ moved: number }>('SELECT search_counts_fold($1) AS moved', [FOLD_BATCH]);
        const moved = row?.moved ?? 0;
        foldedSinceVacuum ||= moved > 0;
        if (moved < FOLD_BATCH) break;
      }
      // Every short search reads search_pending whole, dead rows included: they are cleared here
      // rather than whenever autovacuum gets to them.
      if (foldedSinceVacuum && now() - vacuumedAt >= VACUUM_EVERY_MS) {
        await db.query('VACUUM (SKIP_LOCKED) search_pending');
        foldedSinceVacuum = false;
        vacuumedAt = now();
      }
    } catch (err) {
      logger.warn({ err }, 'folding pending search counts failed; trying again');
    }
  };
  const timer = setInterval(() => {
    running ??= tick().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
