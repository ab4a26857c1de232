import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Logger as LimiterLogger, type Store } from 'express-rate-limit';
import type { RateLimits } from '../config';
import type { Logger } from '../logger';
import { subjectOf } from './caller';
import { ErrorCode, HttpError } from './errors';

const WINDOW_MS = 60_000;
const ERROR_LOG_EVERY_MS = 30_000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isWrite = (req: Request) => WRITES.has(req.method);

/**
 * One counter per caller: the verified token's subject (one user, however many addresses), else the
 * client address (`trust proxy` makes it the one Heroku's router saw; IPv6 grouped by /56).
 */
const callerKey = (req: Request): string => {
  const sub = subjectOf(req);
  return sub !== undefined ? `sub:${sub}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
};

type Kind = 'reads' | 'writes';

/** Where the counters live: this process by default; a shared store (Redis) for several dynos. */
export type StoreFor = (kind: Kind) => Store | undefined;

function limiter(kind: Kind, perMinute: number, store: Store | undefined, logger: LimiterLogger): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    ...(store ? { store } : {}),
    logger,
    // A shared store that is down (Redis) must not take the API down with it: count nothing, serve.
    passOnStoreError: true,
    limit: perMinute,
    identifier: kind,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: callerKey,
    // The library has already set Retry-After (seconds until this caller's window resets).
    handler: (_req, res, next) => {
      const retryAfter = String(res.getHeader('Retry-After') ?? Math.ceil(WINDOW_MS / 1000));
      const message = `Too many ${kind}: at most ${perMinute} a minute; retry after ${retryAfter} s`;
      next(new HttpError(429, ErrorCode.rateLimited, message, undefined, { 'Retry-After': retryAfter }));
    },
  });
}

/**
 * Reads (GET, HEAD, OPTIONS) and writes are counted separately, so a burst of reads never blocks a
 * caller's edits. Counters live in this process unless `storeFor` gives a shared store (see
 * docs/security.md: Redis, so that every dyno counts together). A limit of 0 is off.
 */
export function rateLimits(limits: RateLimits, logger: Logger, storeFor: StoreFor = () => undefined): RequestHandler[] {
  // A shared store that is down fails every request's count: one line every 30 s, not one a request.
  let lastError = 0;
  const log: LimiterLogger = {
    error: (err, msg) => {
      if (Date.now() - lastError < ERROR_LOG_EVERY_MS) return;
      lastError = Date.now();
      logger.error({ err }, msg ?? 'rate limiter error');
    },
    warn: (err, msg) => logger.warn({ err }, msg ?? 'rate limiter warning'),
  };
  const pass: RequestHandler = (_req, _res, next) => next();
  const reads = limits.readsPerMinute > 0 ? limiter('reads', limits.readsPerMinute, storeFor('reads'), log) : pass;
  const writes = limits.writesPerMinute > 0 ? limiter('writes', limits.writesPerMinute, storeFor('writes'), log) : pass;
  // Each request meets only its own limiter (a limiter that skips a request still costs time).
  return [(req, res, next) => void (isWrite(req) ? writes : reads)(req, res, next)];
}
