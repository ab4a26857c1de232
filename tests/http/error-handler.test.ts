import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { accessLog } from '../../src/http/access-log';
import { errorHandler } from '../../src/http/error-handler';
import { ErrorCode, HttpError } from '../../src/http/errors';

/*
 * The error handler is the last code that runs for a failed request; if building its answer
 * throws, Express answers with its own HTML page (a stack trace outside production). A last guard
 * must still answer our JSON 500, and log why.
 */
const lines: Record<string, unknown>[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });

const app = express();
app.use(accessLog(logger));
app.get('/header-name', (_req, _res, next) => next(new HttpError(400, ErrorCode.badRequest, 'x', undefined, { 'Not A Header Name': 'v' })));
app.get('/header-value', (_req, _res, next) =>
  next(new HttpError(400, ErrorCode.badRequest, 'x', undefined, { 'X-Odd': 'caf\u00e9 \u0100 \r\n\x00 x' })),
);
app.get('/body', (_req, _res, next) =>
  next(new HttpError(422, ErrorCode.validationFailed, 'x', [{ path: 'a', message: 10n as unknown as string }])),
);
app.get('/error', (_req, _res, next) =>
  next({
    get status(): number {
      throw new Error('an error that throws when read');
    },
  }),
);
app.use(errorHandler);

describe('the error handler', () => {
  beforeEach(() => (lines.length = 0));

  it.each([
    ['an error whose header name is not a token', '/header-name'],
    ['an error whose details cannot be serialized', '/body'],
    ['an error that throws when read', '/error'],
  ])('answers our JSON 500 and logs it for %s', async (_label, path) => {
    const res = await request(app)
      .get(path)
      .set('X-Request-Id', `guard-${path.slice(1)}`);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ success: false, error: 500, code: 'internal_error', message: expect.stringMatching(/\S/) });
    expect(res.headers['not a header name']).toBeUndefined();
    expect(res.headers['x-request-id']).toBe(`guard-${path.slice(1)}`);
    const logged = lines.find((l) => l.level === 50 && (l.req as { id?: string } | undefined)?.id === `guard-${path.slice(1)}`);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toMatch(/"err"/);
  });

  it('makes the header values it echoes printable ASCII', async () => {
    const res = await request(app).get('/header-value');
    expect(res.status).toBe(400);
    expect(res.headers['x-odd']).toMatch(/^[\x20-\x7e]+$/);
  });
});
