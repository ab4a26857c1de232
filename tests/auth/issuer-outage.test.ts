import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { AuthSettings } from '../../src/auth/authenticate';
import { createTestContext, type TestContext, testDeps, issuerAuth } from '../kit/context';
import { documentConformance } from '../kit/openapi-check';
import { refusingUrl, StandInIssuer, type IssuerBehaviour } from './stand-in-issuer';

/*
 * The issuer's keys are fetched over the network; an issuer that refuses, resets, fails, or accepts
 * and then never finishes its answer must cost a request at most the fetch deadline, answer 503
 * auth_unavailable (the token may well be good), leave routes that need no token alone, and be
 * tried again by itself after a short back-off.
 */
const DEADLINE_MS = 1_000;
const BACK_OFF_MS = 500;
// What a loaded two-core machine adds to the deadline before the answer is back.
const SLACK_MS = 700;
// Supertest gives up on a hung request here, so a failure is a failed assertion, not a hung run.
const CLIENT_GIVES_UP_MS = 5_000;

let ctx: TestContext;
let standIn: StandInIssuer;
const conformance = documentConformance();
beforeAll(async () => {
  ctx = await createTestContext();
  const jwks = await (await fetch(`${ctx.issuer.url}.well-known/jwks.json`)).json();
  standIn = await StandInIssuer.start(jwks as object);
});
afterAll(async () => {
  await standIn.close();
  await ctx.close();
  conformance.assertNone();
});

const keyFetch = { timeoutMs: DEADLINE_MS, retryAfterMs: BACK_OFF_MS };
const apiTrusting = (issuerBaseURL: string, settings: Partial<AuthSettings> = { keyFetch }) =>
  request(
    conformance.wrap(
      createApp({
        ...testDeps(),
        db: ctx.db,
        auth: issuerAuth(issuerBaseURL, settings),
        logger: pino({ level: 'silent' }),
      }),
    ),
  );
const tokenFrom = (issuerUrl: string) => `Bearer ${ctx.issuer.token('producer', { iss: issuerUrl })}`;

const timed = async <T>(send: () => PromiseLike<T>): Promise<[T, number]> => {
  const started = Date.now();
  const res = await send();
  return [res, Date.now() - started];
};

const expectUnavailable = (res: request.Response) => {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ success: false, error: 503, code: 'auth_unavailable', message: expect.stringMatching(/\S/) });
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(30);
};

const PUBLIC_ROUTES = ['/', '/health', '/ready', '/openapi.json'];

describe('while the issuer cannot give its keys', () => {
  afterEach(() => (standIn.behaviour = 'answers'));

  it.each<[string, IssuerBehaviour | 'refuses']>([
    ['refuses connections', 'refuses'],
    ['resets connections', 'resets'],
    ['answers 500', 'fails'],
    ['accepts and never answers', 'never answers'],
    ['sends the headers, then stalls the body', 'stalls the body'],
  ])(
    'when it %s, a request with a token gets 503 auth_unavailable within the deadline; routes needing no token answer',
    async (_label, behaviour) => {
      const url = behaviour === 'refuses' ? await refusingUrl() : standIn.url;
      if (behaviour !== 'refuses') standIn.behaviour = behaviour;
      const api = apiTrusting(url);
      const token = tokenFrom(url);

      for (const path of PUBLIC_ROUTES) {
        const [res, ms] = await timed(() => api.get(path).set('Authorization', token).timeout(CLIENT_GIVES_UP_MS));
        expect([path, res.status]).toEqual([path, 200]);
        expect(ms).toBeLessThan(DEADLINE_MS);
      }
      const [first, firstMs] = await timed(() => api.get('/actors').set('Authorization', token).timeout(CLIENT_GIVES_UP_MS));
      expectUnavailable(first);
      expect(firstMs).toBeLessThan(DEADLINE_MS + SLACK_MS);

      // Within the back-off the failure is not tried again: the answer is immediate.
      const before = standIn.requests;
      const [again, againMs] = await timed(() => api.post('/actors').set('Authorization', token).send({ name: 'A', age: 1, gender: 'x' }));
      expectUnavailable(again);
      expect(againMs).toBeLessThan(DEADLINE_MS);
      expect(standIn.requests).toBe(before);
      for (const path of PUBLIC_ROUTES) expect((await api.get(path).set('Authorization', token)).status).toBe(200);
    },
  );

  it('answers every request waiting for the same hung fetch within the deadline, with one fetch', async () => {
    standIn.behaviour = 'never answers';
    const api = apiTrusting(standIn.url);
    const token = tokenFrom(standIn.url);
    const before = standIn.requests;
    const [answers, ms] = await timed(() =>
      Promise.all(Array.from({ length: 5 }, () => api.get('/movies').set('Authorization', token).timeout(CLIENT_GIVES_UP_MS))),
    );
    answers.forEach(expectUnavailable);
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(standIn.requests - before).toBe(1);
  });

  it('tells clients to retry after at most 30 s with the default back-off and deadline', async () => {
    const url = await refusingUrl();
    expectUnavailable(await apiTrusting(url, {}).get('/actors').set('Authorization', tokenFrom(url)).timeout(CLIENT_GIVES_UP_MS));
  });

  it('still answers 401 to a request without a token, or with one no key could verify', async () => {
    standIn.behaviour = 'never answers';
    const api = apiTrusting(standIn.url);
    expect((await api.get('/actors').timeout(CLIENT_GIVES_UP_MS)).status).toBe(401);
    const [res, ms] = await timed(() => api.get('/actors').set('Authorization', 'Bearer not-a-jwt').timeout(CLIENT_GIVES_UP_MS));
    expect([res.status, res.body.code]).toEqual([401, 'invalid_token']);
    expect(ms).toBeLessThan(DEADLINE_MS);
  });
});

describe('when the issuer answers again', () => {
  it.each<IssuerBehaviour>(['never answers', 'stalls the body', 'fails'])(
    'after it %s, requests succeed by themselves within the back-off',
    async (behaviour) => {
      standIn.behaviour = behaviour;
      const api = apiTrusting(standIn.url);
      const token = tokenFrom(standIn.url);
      expectUnavailable(await api.get('/actors').set('Authorization', token).timeout(CLIENT_GIVES_UP_MS));

      standIn.behaviour = 'answers';
      const [res, ms] = await timed(async () => {
        for (;;) {
          const answer = await api.get('/actors').set('Authorization', token).timeout(CLIENT_GIVES_UP_MS);
          if (answer.status !== 503 || answer.headers['retry-after'] === undefined) return answer;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      });
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(BACK_OFF_MS + SLACK_MS);
    },
  );

  it('keeps verifying with the keys it has while the issuer is away again', async () => {
    standIn.behaviour = 'answers';
    const api = apiTrusting(standIn.url);
    const token = tokenFrom(standIn.url);
    expect((await api.get('/actors').set('Authorization', token)).status).toBe(200);
    standIn.behaviour = 'never answers';
    const other = `Bearer ${ctx.issuer.token('assistant', { iss: standIn.url })}`;
    const [res, ms] = await timed(() => api.get('/actors').set('Authorization', other).timeout(CLIENT_GIVES_UP_MS));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(DEADLINE_MS);
    standIn.behaviour = 'answers';
  });
});
