import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { capturedLog } from '../kit/captured-log';
import { createTestContext, insertActors, type TestContext } from '../kit/context';

let ctx: TestContext;
const { logger, lines: raw, lineFor } = capturedLog();
beforeAll(async () => {
  ctx = await createTestContext({ logger });
});
afterAll(() => ctx.close());
beforeEach(async () => {
  raw.length = 0;
  await ctx.reset();
});

describe('request logs', () => {
  it('write one JSON line with method, path, status, duration, request id and the token subject', async () => {
    const [a] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const res = await ctx.api.as('assistant').get(`/actors/${a!.id}`).set('X-Request-Id', 'req-abc-123');
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    const { line, text } = await lineFor('req-abc-123');
    expect(line).toMatchObject({
      req: { id: 'req-abc-123', method: 'GET', url: `/actors/${a!.id}` },
      res: { statusCode: 200 },
      sub: 'auth0|test-assistant',
      responseTime: expect.any(Number),
    });
    expect(text).not.toContain(ctx.auth.assistant.slice('Bearer '.length));
    expect(raw.filter((l) => l.includes('req-abc-123'))).toHaveLength(1);
  });

  it('generate a request id when none (or an unusable one) is given, and return it', async () => {
    const res = await ctx.api.get('/health').set('X-Request-Id', 'bad id with spaces');
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await lineFor(id)).line).toMatchObject({ req: { method: 'GET', url: '/health' }, res: { statusCode: 200 } });
  });

  it('never contain the token, the request body or a token in the URL, even when the request fails', async () => {
    const secretBody = { name: 'SECRET-NAME-4242', age: 999, gender: 'x' };
    const token = ctx.auth.director.slice('Bearer '.length);
    const invalid = await ctx.api.as('director').post('/actors').send(secretBody);
    expect(invalid.status).toBe(422);
    const inQuery = await ctx.api.get(`/actors?access_token=${token}`);
    expect(inQuery.status).toBe(400);
    const forged = await ctx.api.get('/actors').set('Authorization', `Bearer ${token}x`);
    expect(forged.status).toBe(401);
    for (const res of [invalid, inQuery, forged]) await lineFor(res.headers['x-request-id'] as string);
    const all = raw.join('\n');
    expect(all).not.toContain(token.slice(20, 60));
    expect(all).not.toContain('SECRET-NAME-4242');
    expect((await lineFor(inQuery.headers['x-request-id'] as string)).line.req).toMatchObject({ url: '/actors?access_token=[redacted]' });
    expect((await lineFor(invalid.headers['x-request-id'] as string)).line).toMatchObject({
      sub: 'auth0|test-director',
      res: { statusCode: 422 },
    });
  });

  it('say a request the client abandoned before its answer was aborted (499), not completed', async () => {
    const server = createServer(ctx.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const arrived = new Promise((resolve) => server.once('request', resolve));
      // A body that never arrives whole: the app waits for it, so no answer can be sent first.
      const head = ['POST /actors HTTP/1.1', 'Host: localhost', `Authorization: ${ctx.auth.producer}`, 'Content-Type: application/json'];
      const request = [...head, 'Content-Length: 100', 'X-Request-Id: req-gone', '', '{"name":'].join('\r\n');
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(request));
      await arrived;
      socket.destroy();
      const { line } = await lineFor('req-gone');
      expect(line).toMatchObject({ msg: 'request aborted', req: { method: 'POST', url: '/actors' }, res: { statusCode: 499 } });
      const lines = raw.filter((l) => l.includes('req-gone'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/"statusCode":200|request completed/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
