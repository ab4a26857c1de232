import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Config } from '../config';

/** The request headers a browser may send, and how long it may keep a preflight's answer: also what the document says OPTIONS answers. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'] as const;
export const CORS_MAX_AGE_S = 600;
/** The `cors` package's default methods, named so the document can say them. */
export const CORS_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'] as const;
// `Link`: a web page follows a list's pages (src/http/page-links.ts) only if it may read the header.
const EXPOSED_HEADERS = ['Location', 'X-Request-Id', 'ETag', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'Link'];

/** Any origin by default, or the `CORS_ORIGINS` list; every OPTIONS request is answered here (204). */
export const corsPolicy = (origins: Config['corsOrigins']): RequestHandler =>
  cors({
    origin: origins === '*' ? '*' : [...origins],
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
  });
