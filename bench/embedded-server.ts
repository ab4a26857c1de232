import { startEmbedded } from '../src/db/embedded';

/**
 * The embedded database (in-memory PGlite behind its socket server) in a process of its own, so that
 * its single-threaded engine does not share an event loop with the load generator. Prints its URL.
 */
startEmbedded('memory://', 100)
  .then((server) => {
    process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
    process.on('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
