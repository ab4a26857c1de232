import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode, errorBody } from './errors';

const STATUS_OF: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, ErrorCode.badRequest, 'The request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, ErrorCode.requestTimeout, 'The request took too long to arrive'],
};

/** How long a client gets to take our last answer before its socket is destroyed anyway. */
const CLOSE_GRACE_MS = 1_000;

const answerFor = (err: NodeJS.ErrnoException): string => {
  const [status, code, message] = STATUS_OF[err.code ?? ''] ?? [400, ErrorCode.badRequest, 'The request is not valid HTTP'];
  const body = JSON.stringify(errorBody(status, code, message));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`
  );
};

/**
 * Sends `last`, then closes both directions once it is written. Ending alone only half-closes:
 * a client that keeps sending would keep the socket, and the deadline would hold nothing.
 */
const close = (socket: Duplex, last?: string) => {
  if (!socket.writable) return; // Node is already closing it, after the answer it wrote
  socket.end(last, () => socket.destroy());
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
};

const afterAnswer = (res: ServerResponse, then: () => void) => (res.writableFinished ? then() : res.once('finish', then));

/**
 * Bytes that are not HTTP, and requests that do not arrive in time (src/http/server-limits.ts),
 * never reach Express: Node answers them itself in plain text. This answers them like every other
 * error, in our JSON shape, then closes the connection. One answer per request, in order: a request
 * already answered (a 401 or 404 given before its body arrived) gets no second one, and an answer
 * still being written for an earlier request goes out first.
 */
export function answerClientErrorsAsJson(server: Server): void {
  const lastRequest = new WeakMap<Duplex, [IncomingMessage, ServerResponse]>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => lastRequest.set(req.socket, [req, res]));

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [req, res] = lastRequest.get(socket) ?? [];
    if (!req || !res) return close(socket, answerFor(err));
    if (!req.complete) return res.headersSent ? afterAnswer(res, () => close(socket)) : close(socket, answerFor(err));
    afterAnswer(res, () => close(socket, answerFor(err)));
  });
}
