import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

const ONE_YEAR_S = 365 * 24 * 3600;

/**
 * Response headers for a public JSON API (helmet): `nosniff`, no framing, no referrer, HSTS in
 * production only (HTTPS ends at Heroku's router; locally there is none). JSON needs no CSP, but the
 * same-origin docs page (/docs) is HTML: helmet's same-origin policy lets it load its own scripts and
 * styles and nothing from elsewhere. Upgrading requests to HTTPS would break plain-HTTP development.
 * With Auth0 sign-in (`tenantOrigin`), the web app (/app/) also talks to the tenant (token endpoint)
 * and frames it (silent renewal), and nothing else is added.
 */
export function securityHeaders({ production, tenantOrigin }: { production: boolean; tenantOrigin: string | null }): RequestHandler[] {
  const tenant: Record<string, string[]> = tenantOrigin
    ? { 'connect-src': ["'self'", tenantOrigin], 'frame-src': ["'self'", tenantOrigin] }
    : {};
  const headers = helmet({
    contentSecurityPolicy: {
      directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': production ? [] : null, ...tenant },
    },
    strictTransportSecurity: production ? { maxAge: ONE_YEAR_S, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const fixed = headersSetBy(headers);
  return [
    (req, res, next) => {
      for (const [name, value] of fixed) res.setHeader(name, value);
      // An answer to a request with a token is that caller's data: no browser or proxy may keep it.
      if (req.headers.authorization !== undefined) res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}

/**
 * The headers a helmet middleware sets, worked out once: with these options they depend on nothing
 * in the request, and copying them is cheaper than running helmet's 13 middlewares per request.
 */
function headersSetBy(middleware: RequestHandler): [string, string][] {
  const headers: [string, string][] = [];
  const res = { setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]), removeHeader: () => undefined };
  void middleware({} as Request, res as unknown as Response, () => undefined);
  return headers;
}
