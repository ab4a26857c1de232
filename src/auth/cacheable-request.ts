import type { Request } from 'express';

const BEARER_JWT = /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/;
// The verifier's own host rule (express-oauth2-jwt-bearer's HOST_RE), port range included.
const HOST =
  /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?$/;
const PROTOCOL_IN_PATH = /^\/[a-z][a-z0-9+.-]*:\/\//i;

/** An ordinary Host and URL: ones the verifier accepts before it looks at the token (it answers 400 to others). */
export function isPlainUrl(req: Request): boolean {
  const host = req.headers.host;
  if (req.headers['x-forwarded-host'] !== undefined || typeof host !== 'string' || !HOST.test(host)) return false;
  try {
    const url = new URL(`${req.protocol}://${host}${req.originalUrl}`);
    return HOST.test(url.host) && !url.pathname.startsWith('//') && !PROTOCOL_IN_PATH.test(url.pathname);
  } catch {
    return false;
  }
}

/**
 * Whether the verifier would judge this request by its token alone, so that a token it accepted
 * once may be served from the token cache: exactly `Bearer <jwt>` in the header, no second token in
 * the query or body, an ordinary Host and URL. Anything else (the verifier answers 400 to some of
 * these whatever the token) goes to the verifier every time.
 */
export function isCacheable(req: Request): boolean {
  if (!BEARER_JWT.test(req.headers.authorization ?? '') || req.originalUrl.includes('access_token')) return false;
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && 'access_token' in body) return false;
  return isPlainUrl(req);
}

/** The token of a cacheable request, the cache's key; `undefined` for any other request. */
export const cacheableToken = (req: Request): string | undefined =>
  isCacheable(req) ? req.headers.authorization?.slice('Bearer '.length) : undefined;
