import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpLimits } from '../../src/config';
import { createHttpServer } from '../../src/http/server-limits';
import { countRows, createTestContext, type TestContext } from '../kit/context';
import { openRaw, parseAnswer, trickle } from '../kit/raw-connection';

/*
 * Clients that send a request slowly, or open many connections, against the app in the server it
 * runs in (src/http/server-limits.ts) with small limits: they are cut off near the deadline, in our
 * JSON shape, and connections beyond the cap are closed at once.
 */
const LIMITS: HttpLimits = { requestTimeoutMs: 2_000, headersTimeoutMs: 1_000, maxConnections: 3 };
// The deadline check runs every 250 ms here; the rest is slack for two busy cores.
const SLACK_MS = 1_500;

let ctx: TestContext;
let server: Server;
let port: number;
beforeAll(async () => {
  ctx = await createTestContext();
  server = createHttpServer(ctx.app, LIMITS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});
beforeEach(() => ctx.reset());

const expectJson408 = (text: string) => {
  const { head, body } = parseAnswer(text);
  expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(head).toMatch(/\r\nContent-Type: application\/json/i);
  expect(head).toMatch(/\r\nConnection: close/i);
  expect(body).toEqual({ success: false, error: 408, code: 'request_timeout', message: 'The request took too long to arrive' });
};

const postHead = (length: number) =>
  `POST /actors HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${ctx.auth.producer}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('a client that sends its request slowly', () => {
  it('When the body trickles in while the app reads it, then it gets our JSON 408 near the request timeout and nothing is stored', async () => {
    const { socket, closed } = await openRaw(port);
    socket.write(postHead(1_000) + '{"name":"Slow","age":30,"gender":"');
    trickle(socket, 'x', 100);
    const { text, ms } = await closed;
    expectJson408(text);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 50);
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
    expect(text.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it('When the client keeps sending after the 408 and never closes its side, then the server closes the connection anyway', async () => {
    const { socket, closed } = await openRaw(port, { allowHalfOpen: true });
    socket.write(postHead(100_000) + '{"name":"');
    trickle(socket, 'x', 100);
    const { text, ms } = await closed;
    expectJson408(text);
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
  });

  it('When the app answered before the body arrived, then the connection is closed at the request timeout without a second answer', async () => {
    const { socket, closed } = await openRaw(port);
    socket.write('POST /actors HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name"');
    trickle(socket, 'x', 100);
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(text.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
  });

  it('When the headers trickle in, then it gets our JSON 408 near the headers timeout', async () => {
    const { socket, closed } = await openRaw(port);
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
    trickle(socket, 'X-Slow: y\r\n', 100);
    const { text, ms } = await closed;
    expectJson408(text);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
  });

  it('When a connection sends nothing, then it is closed near the headers timeout', async () => {
    const { closed } = await openRaw(port);
    const { ms } = await closed;
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
  });

  it('When a request arrives whole, then its connection stays open for the next one', async () => {
    const { socket, closed } = await openRaw(port);
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const outcome = await Promise.race([
      closed,
      new Promise((resolve) => setTimeout(() => resolve('open'), LIMITS.requestTimeoutMs + SLACK_MS)),
    ]);
    expect(outcome).toBe('open');
    socket.destroy();
    expect((await closed).text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});

describe('one answer per request', () => {
  it('When bytes that are not HTTP follow a request still being answered, then its answer comes first, then our JSON 400', async () => {
    const { socket, closed } = await openRaw(port);
    socket.write(`GET /actors HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${ctx.auth.producer}\r\n\r\nGARBAGE / NOT-HTTP\r\n\r\n`);
    const { text } = await closed;
    const answers = text.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(parseAnswer(answers[1]!).body).toEqual({
      success: false,
      error: 400,
      code: 'bad_request',
      message: 'The request is not valid HTTP',
    });
  });
});

describe('connections beyond MAX_CONNECTIONS', () => {
  it('When the cap is reached, then one more connection is closed at once while the others stay open', async () => {
    const held = await Promise.all([openRaw(port), openRaw(port), openRaw(port)]);
    // Each held connection starts a request, so the server has certainly accepted it.
    held.forEach(({ socket }) => socket.write('GET /health HTTP/1.1\r\n'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = await openRaw(port);
    const { text, ms } = await extra.closed;
    expect(text).toBe('');
    expect(ms).toBeLessThan(500);
    expect(held.every(({ socket }) => !socket.destroyed)).toBe(true);

    held.forEach(({ socket }) => socket.destroy());
    await Promise.all(held.map(({ closed }) => closed));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await openRaw(port);
    after.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect((await after.closed).text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});
