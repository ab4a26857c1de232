import { createServer, type RequestListener, type Server } from 'node:http';
import type { HttpLimits } from '../config';
import { answerClientErrorsAsJson } from './client-error';

/** The longest wait between Node's checks for requests past their deadline (Node's own default: 30 s). */
const MAX_CHECK_INTERVAL_MS = 1_000;

/**
 * The HTTP server the app runs in, with its limits: a request must arrive whole within
 * `requestTimeoutMs` (its headers within `headersTimeoutMs`) or it is answered 408 and closed, and
 * connections beyond `maxConnections` are closed as soon as they are accepted. Node's defaults let a
 * client take five minutes per request, so one client trickling bodies could hold every file
 * descriptor. Node enforces the timeouts only when its periodic check runs, so the check runs every
 * quarter of the shorter timeout (at most every second): a client is cut off at most that long after
 * its deadline. The interval is an option of the constructor only, hence this builds the server.
 */
export function createHttpServer(app: RequestListener, limits: HttpLimits): Server {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs);
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, Math.ceil(shortest / 4)),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  answerClientErrorsAsJson(server);
  return server;
}
