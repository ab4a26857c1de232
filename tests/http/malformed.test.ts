import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerClientErrorsAsJson } from '../../src/http/client-error';
import { createTestContext, type TestContext } from '../kit/context';

// Requests the property-based test (fuzz.test.ts) found answered with a 500 or a body not in our shape.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ success: false, error: status, code, message: expect.stringMatching(/\S/) });
};

describe('malformed requests', () => {
  it('answers 400 bad_request, not 500, to a path with broken %-encoding', async () => {
    expectError(await ctx.api.as('producer').get('/actors/%E0%A4%A'), 400, 'bad_request');
    expectError(await ctx.api.get('/movies/%zz'), 400, 'bad_request');
  });

  it('answers 400, not 500, to a gzip-encoded body that is not gzip', async () => {
    const res = await ctx.api
      .as('producer')
      .post('/actors')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('');
    expectError(res, 400, 'bad_request');
  });

  it.each(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b'])(
    'answers 400 invalid_request with a message to Authorization: %j',
    async (header) => {
      const res = await ctx.api.get('/actors').set('Authorization', header);
      expectError(res, 400, 'invalid_request');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    },
  );

  it('answers 503 auth_unavailable with Retry-After, not 401 or 500, while the token issuer (its JWKS) cannot be reached', async () => {
    const offline = await createTestContext();
    await offline.issuer.close();
    try {
      const res = await offline.api.as('producer').get('/actors');
      expectError(res, 503, 'auth_unavailable');
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    } finally {
      await offline.db.close();
    }
  });

  it('answers bytes that are not HTTP with our JSON error, not a bare 400', async () => {
    const server: Server = createServer(ctx.app);
    answerClientErrorsAsJson(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write('GARBAGE / NOT-HTTP\r\n\r\n'));
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
      expect(head).toMatch(/\r\nContent-Type: application\/json/);
      expect(head).toMatch(/\r\nX-Content-Type-Options: nosniff/);
      expect(JSON.parse(body!)).toEqual({ success: false, error: 400, code: 'bad_request', message: 'The request is not valid HTTP' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
