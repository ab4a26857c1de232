import type { Server, ServerResponse } from 'node:http';
import type { Logger } from './logger';

/** Heroku sends SIGKILL 30 s after SIGTERM; the contract promises an exit within 10 s. */
const SHUTDOWN_DEADLINE_MS = 9_000;

/**
 * A rejection or exception nobody handled leaves the process in an unknown state: log it and exit
 * non-zero, so the platform restarts a clean process rather than one that limps on.
 */
export function exitOnFatalErrors(logger: Logger): void {
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection; exiting so the platform restarts the process');
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; exiting so the platform restarts the process');
    process.exit(1);
  });
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let requests in flight finish (each answered with
 * `Connection: close`), close the database, exit 0; exit 1 if anything is still running at the deadline.
 */
export function stopOnSignals(server: Server, close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  // A keep-alive connection would stay open after its last answer and hold server.close up for 65 s.
  const inFlight = new Set<ServerResponse>();
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) return closeAfter(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    inFlight.forEach(closeAfter);
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    setTimeout(() => {
      logger.error('requests still running at the deadline; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close(() => {
      close()
        .then(() => {
          logger.info('stopped');
          process.exit(0);
        })
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
