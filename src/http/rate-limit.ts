import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Logger as LimiterLogger, type Store } from 'express-rate-limit';
import { subjectOf } from '../auth/caller';
import type { RateLimits } from '../config';
import type { Logger } from '../logger';
import { ErrorCode, HttpError } from './errors';
import { queryOf } from './request-query';

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

type Kind = 'reads' | 'writes' | 'searches';

/** Where the counters live: this process (`undefined`: express-rate-limit's memory store), or a shared store (Redis) for several dynos. */
export type StoreFor = (kind: Kind) => Store | undefined;

/** Every count kept in this process. */
export const countInProcess: StoreFor = () => undefined;

/**
 * Set by a list route when it ran a search against its table (no cached answer): that is what a
 * search costs, tens to hundreds of milliseconds of database time where a cached one costs one.
 */
export const markTableSearched = (res: Response): void => {
  res.locals.searchedTable = true;
};

/**
 * Searches are charged on arrival, so a caller at its limit cannot start more, and refunded once
 * answered unless they actually searched a table (a cached answer, a 400, a 404 cost little).
 */
const searchCharge = {
  skipSuccessfulRequests: true,
  requestWasSuccessful: (_req: Request, res: Response) => res.locals.searchedTable !== true,
};

function limiter(kind: Kind, perMinute: number, store: Store | undefined, logger: LimiterLogger): RequestHandler {
  return rateLimit({
    ...(kind === 'searches' ? searchCharge : {}),
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
      const what = kind === 'searches' ? 'searches that read the table' : kind;
      const message = `Too many ${what}: at most ${perMinute} a minute; retry after ${retryAfter} s`;
      next(new HttpError(429, ErrorCode.rateLimited, message, undefined, { 'Retry-After': retryAfter }));
    },
  });
}

/**
 * Reads (GET, HEAD, OPTIONS) and writes are counted separately, so a burst of reads never blocks a
 * caller's edits. A search (a GET with `q`) is a read and also counts against the search limit when
 * it reads the table, so one caller looping uncached searches cannot take the database from
 * everyone else. Counters live in this process unless `storeFor` gives a shared store (see
 * docs/security.md: Redis, so that every dyno counts together). A limit of 0 is off.
 */
export function rateLimits(limits: RateLimits, logger: Logger, storeFor: StoreFor): RequestHandler[] {
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
  const searches = limits.searchesPerMinute > 0 ? limiter('searches', limits.searchesPerMinute, storeFor('searches'), log) : pass;
  const isSearch = (req: Request) => req.method === 'GET' && queryOf(req).q !== undefined;
  // Each request meets only its own limiters (a limiter that skips a request still costs time).
  return [
    (req, res, next) => void (isWrite(req) ? writes : reads)(req, res, next),
    (req, res, next) => void (isSearch(req) ? searches : pass)(req, res, next),
  ];
}
