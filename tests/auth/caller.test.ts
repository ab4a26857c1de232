import express, { type ErrorRequestHandler, type Request } from 'express';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import type { AuthSettings } from '../../src/auth/authenticate';
import { identifyCaller } from '../../src/auth/caller';
import { devAuthSettings, devToken } from '../../src/auth/dev-identity';
import { requirePermission } from '../../src/auth/guard';
import { Permission } from '../../src/auth/permissions';
import { tokenCacheOf } from '../../src/auth/token-cache';
import { roleClaims, signJwt } from '../../src/auth/tokens';

/*
 * identifyCaller judges each request's token once and records the outcome as `req.caller`;
 * requirePermission answers from that record: the verifier's error, 403 without the permission.
 */
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const recordOf = (req: Request) => {
  const caller = req.caller;
  if (caller?.kind === 'verified') return { kind: caller.kind, sub: caller.auth.payload.sub };
  if (caller?.kind === 'unverified') return { kind: caller.kind, status: (caller.error as { status?: number }).status };
  return { kind: caller?.kind ?? 'none' };
};
const statusOf: ErrorRequestHandler = (err: { status?: number }, _req, res, _next) => void res.status(err.status ?? 500).json({});

const appWith = (settings: AuthSettings, identify = true) => {
  const app = express();
  if (identify) app.use(identifyCaller(settings));
  app.get('/caller', (req, res) => void res.json(recordOf(req)));
  app.get('/actors', ...requirePermission(Permission.getActors), (_req, res) => void res.json({}));
  app.post('/actors', ...requirePermission(Permission.postActors), (_req, res) => void res.json({}));
  app.use(statusOf);
  return request(app);
};

describe('identifyCaller', () => {
  const api = appWith(devAuthSettings(pem, tokenCacheOf(1000)));

  it('records a verified caller with its token', async () => {
    const res = await api.get('/caller').set('Authorization', `Bearer ${devToken('assistant', pem)}`);
    expect(res.body).toEqual({ kind: 'verified', sub: 'dev|assistant' });
  });

  it.each([
    ['no token', undefined, 401],
    ['a token the verifier refuses', 'Bearer a.b.c', 401],
    ['a malformed header', 'Bearer', 400],
  ])('records %s as unverified, with the error a guarded route answers', async (_label, authorization, status) => {
    const send = (path: string) => (authorization === undefined ? api.get(path) : api.get(path).set('Authorization', authorization));
    expect((await send('/caller')).body).toEqual({ kind: 'unverified', status });
    expect((await send('/actors')).status).toBe(status);
  });

  it('goes on after 200 ms while the keys are being fetched; the guard waits for the fetch deadline', async () => {
    // An issuer that accepts the connection and never answers.
    const sockets = new Set<Socket>();
    const hung: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const issuerBaseURL = `http://127.0.0.1:${(hung.address() as { port: number }).port}/`;
    const slow = appWith({
      kind: 'issuer',
      issuerBaseURL,
      audience: 'a',
      keyFetch: { timeoutMs: 1_000, retryAfterMs: 500 },
      tokenCache: tokenCacheOf(1000),
    });
    const token = signJwt(roleClaims({ issuer: issuerBaseURL, audience: 'a', role: 'assistant' }), pem, 'kid-1');
    try {
      // The fetch starts with the first request; the second waits for that same fetch.
      const started = Date.now();
      expect((await slow.get('/caller').set('Authorization', `Bearer ${token}`)).body).toEqual({ kind: 'verifying' });
      expect(Date.now() - started).toBeLessThan(900);
      expect((await slow.get('/actors').set('Authorization', `Bearer ${token}`)).status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});

describe('requirePermission', () => {
  const api = appWith(devAuthSettings(pem, tokenCacheOf(1000)));

  it('lets a verified caller with the permission through, and answers 403 without it', async () => {
    const assistant = `Bearer ${devToken('assistant', pem)}`;
    expect((await api.get('/actors').set('Authorization', assistant)).status).toBe(200);
    expect((await api.post('/actors').set('Authorization', assistant)).status).toBe(403);
  });

  it('answers 500 on a route mounted where identifyCaller does not run', async () => {
    const unidentified = appWith(devAuthSettings(pem, tokenCacheOf(1000)), false);
    expect((await unidentified.get('/actors').set('Authorization', `Bearer ${devToken('producer', pem)}`)).status).toBe(500);
  });
});
