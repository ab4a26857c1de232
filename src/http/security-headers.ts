import type { RequestHandler } from 'express';
import helmet from 'helmet';

const ONE_YEAR_S = 365 * 24 * 3600;

/**
 * Response headers for a public JSON API (helmet): `nosniff`, no framing, no referrer, HSTS in
 * production only (HTTPS ends at Heroku's router; locally there is none). JSON needs no CSP, but the
 * same-origin docs page (/docs) is HTML: helmet's same-origin policy lets it load its own scripts and
 * styles and nothing from elsewhere. Upgrading requests to HTTPS would break plain-HTTP development.
 */
export function securityHeaders({ production }: { production: boolean }): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': production ? [] : null },
    },
    strictTransportSecurity: production ? { maxAge: ONE_YEAR_S, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return [headers, noStoreWhenAuthorized];
}

/** An answer to a request with a token is that caller's data: no browser or proxy may keep it. */
const noStoreWhenAuthorized: RequestHandler = (req, res, next) => {
  if (req.headers.authorization !== undefined) res.set('Cache-Control', 'no-store');
  next();
};
