import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode, errorBody } from './errors';

const STATUS_OF: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, ErrorCode.badRequest, 'The request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, ErrorCode.badRequest, 'The request took too long to arrive'],
};

/**
 * Bytes that are not HTTP never reach Express: Node answers them itself with a bare 400. This answers
 * them like every other error, in our JSON shape, then closes the connection.
 */
export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, message] = STATUS_OF[err.code ?? ''] ?? [400, ErrorCode.badRequest, 'The request is not valid HTTP'];
    const body = JSON.stringify(errorBody(status, code, message));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
