import type { Request } from 'express';

const queries = new WeakMap<Request, Request['query']>();

/**
 * `req.query`, parsed once per request. In Express 5 `req.query` is a getter that parses the query
 * string again on every read, and the token check, the search limiter and the route's own parser
 * all read it. Nothing changes the query string while a request is routed, so one reading serves all.
 */
export function queryOf(req: Request): Request['query'] {
  let query = queries.get(req);
  if (query === undefined) {
    query = req.query;
    queries.set(req, query);
  }
  return query;
}
