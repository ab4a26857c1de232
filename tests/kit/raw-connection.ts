import { connect, type Socket } from 'node:net';

/** A TCP connection to a server; `closed` resolves with everything the server sent and the ms from connect to close. */
export type RawConnection = { socket: Socket; closed: Promise<{ text: string; ms: number }> };

/** `allowHalfOpen`: the client keeps its side open (and may keep sending) after the server ends its own. */
export function openRaw(port: number, { allowHalfOpen = false } = {}): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen });
    let text = '';
    let started = 0;
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => undefined); // a reset is a close too; `closed` reports what arrived
    const closed = new Promise<{ text: string; ms: number }>((done) => socket.on('close', () => done({ text, ms: Date.now() - started })));
    socket.once('connect', () => {
      started = Date.now();
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

/** Writes `chunk` every `everyMs` until the socket closes: a client that keeps sending, slowly. */
export function trickle(socket: Socket, chunk: string, everyMs: number): void {
  const timer = setInterval(() => (socket.writable ? socket.write(chunk) : clearInterval(timer)), everyMs);
  socket.once('close', () => clearInterval(timer));
}

/** The status line and JSON body of a raw HTTP answer. */
export function parseAnswer(text: string): { head: string; body: unknown } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { head, body: JSON.parse(body) };
}
