import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RateLimits } from '../config';
import { subjectOf } from './caller';
import { ErrorCode, HttpError } from './errors';

const WINDOW_MS = 60_000;
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

function limiter(kind: 'reads' | 'writes', perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    identifier: kind,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => isWrite(req) !== (kind === 'writes'),
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
 * caller's edits. Counters live in this process (see docs/security.md for sharing them across dynos
 * with a Redis store). A limit of 0 is off.
 */
export function rateLimits({ readsPerMinute, writesPerMinute }: RateLimits): RequestHandler[] {
  return [
    ...(readsPerMinute > 0 ? [limiter('reads', readsPerMinute)] : []),
    ...(writesPerMinute > 0 ? [limiter('writes', writesPerMinute)] : []),
  ];
}
