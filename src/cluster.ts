import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config';
import type { Logger } from './logger';

const SHUTDOWN_DEADLINE_MS = 9_500;

/**
 * How many processes serve requests. `WEB_CONCURRENCY` is Heroku's convention (its Node buildpack
 * sets it from the dyno's memory). The embedded database lives inside one process and cannot be
 * shared with another, so it always runs one: the log says so rather than failing the start.
 */
export function workerCount(
  config: Pick<Config, 'webConcurrency'> & { database: Pick<Config['database'], 'kind'> },
  logger: Logger,
): number {
  if (config.webConcurrency > 1 && config.database.kind === 'embedded') {
    logger.warn(
      { WEB_CONCURRENCY: config.webConcurrency },
      'WEB_CONCURRENCY ignored: the embedded database lives in one process, so one process serves requests; set DATABASE_URL to run several',
    );
    return 1;
  }
  return config.webConcurrency;
}

export const isClusterWorker = (): boolean => cluster.isWorker;

/**
 * The primary process of `WEB_CONCURRENCY=N`: forks N workers that each run the whole server (they
 * share the listening port; migrations are safe to run concurrently). A worker that dies after it
 * was serving is replaced; one that dies before it ever listened (bad database URL, …) would only die
 * again, so the primary stops and exits 1 and the platform restarts the dyno. SIGTERM/SIGINT go to
 * every worker, which finish their requests; the primary exits when the last one has.
 */
export function runPrimary(workers: number, logger: Logger): void {
  const listening = new Set<number>();
  let stopping = false;
  let failed = false;

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the workers');
    for (const worker of liveWorkers()) worker.process.kill(signal);
    setTimeout(() => {
      logger.error('workers still running at the deadline; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };

  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping && listening.has(worker.id)) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker died; starting another');
      cluster.fork();
      return;
    }
    if (!stopping) {
      logger.fatal({ pid: worker.process.pid, code }, 'a worker failed to start; stopping');
      failed = true;
      stop('SIGTERM');
    }
    if (liveWorkers().length === 0) process.exit(failed ? 1 : 0);
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  logger.info({ workers }, `starting ${workers} worker processes (WEB_CONCURRENCY)`);
  for (let i = 0; i < workers; i += 1) cluster.fork();
}

const liveWorkers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
