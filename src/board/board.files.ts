import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import path from 'node:path';
import { isLoopbackPeer } from '../auth/loopback';
import { ErrorCode, HttpError, notFound } from '../http/errors';
import { methodNotAllowed } from '../http/routing';
import type { Board } from './board.settings';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
/** The paths under /app/ that are operations of the route table (src/board/board.routes.ts), not files. */
const OPERATION_PATHS: ReadonlySet<string> = new Set(['/config.json', '/dev-token']);

export const notBuilt = () =>
  new HttpError(
    503,
    ErrorCode.webAppNotBuilt,
    'The web app is not built: run `npm run build` (or `npm start`, which builds it when web/ changed)',
  );

/**
 * The page: dist/web/index.html, revalidated on every load (`no-cache`, by its Last-Modified) so a
 * new build is seen at once, while the assets it names are cached for good.
 */
export const sendPage = (board: Board, res: Response): Promise<void> =>
  new Promise((resolve, reject) =>
    res.sendFile('index.html', { root: board.webDir, cacheControl: false, headers: { 'Cache-Control': 'no-cache' } }, (err) => {
      if (!err) return resolve();
      reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? notBuilt() : err);
    }),
  );

/** Whether POST /app/dev-token is answered to this request: development tokens accepted, and a loopback TCP peer. */
export const answersDevToken = (board: Board, req: Request): boolean => board.devToken !== null && isLoopbackPeer(req);

const isRead = (req: Request) => req.method === 'GET' || req.method === 'HEAD';
const allowGet = methodNotAllowed('GET');
const noRoute = (req: Request) => notFound(`No route for ${req.method} ${req.baseUrl}${req.path}`);

/** `/app` → 301 `/app/` (the query string kept): the page's relative URLs resolve against the slash. */
function redirectToSlash(req: Request, res: Response): boolean {
  const query = req.originalUrl.indexOf('?');
  const pathname = query === -1 ? req.originalUrl : req.originalUrl.slice(0, query);
  if (pathname.endsWith('/')) return false;
  res.redirect(301, `/app/${query === -1 ? '' : req.originalUrl.slice(query)}`);
  return true;
}

/**
 * Everything under /app but its operations: `/app` → `/app/`; `/app/assets/<file>` from the build,
 * cached a year and immutable (their names carry a hash of their content), a missing one our JSON
 * 404; any other path whose last segment names no file (`/app/actors/12`, `/app/movies/3/edit`) is
 * one of the app's own screens and gets the page, which routes it in the browser (History API). A
 * path that names a file (`/app/favicon.ico`) is a 404 rather than a page. Other methods: 405.
 * POST /app/dev-token is the unknown-route 404, whatever the method, unless `answersDevToken`.
 * Mount it before the operations.
 */
export function boardFiles(board: Board): Router {
  // Rooted at assets/ itself: send refuses a path that climbs out of it (`/assets/../index.html`), and the fall-through is our 404.
  const assets = Router().use(
    '/assets',
    express.static(path.join(board.webDir, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      immutable: true,
      maxAge: ONE_YEAR_MS,
    }),
  );
  const files: RequestHandler = (req, res, next) => {
    if (req.path === '/') return isRead(req) && redirectToSlash(req, res) ? undefined : next();
    // Routes match in any case, so these names do too.
    const name = req.path.toLowerCase();
    if (name === '/dev-token' && !answersDevToken(board, req)) return next(noRoute(req));
    if (OPERATION_PATHS.has(name)) return next();
    if (!isRead(req)) return allowGet(req, res, next);
    if (req.path === '/assets' || req.path.startsWith('/assets/')) return assets(req, res, () => next(noRoute(req)));
    if (path.posix.basename(req.path).includes('.')) return next(noRoute(req));
    sendPage(board, res).catch(next);
  };
  return Router().use('/app', files);
}
