import type { IRoute, RequestHandler } from 'express';
import type { Guard } from '../auth/guard';
import { bodyIsOptional, type Operation, type OperationDoc } from './operation';
import { jsonBody, methodNotAllowed, optionalJsonBody } from './routing';
import { parseBody, parseIds, parseQuery } from './validate';
import { queryOf } from './request-query';

/** What `mount` needs besides the handlers' own dependencies; `guard: null` where no operation takes a token. */
export type MountDeps<D> = D & { guard: Guard | null };

/** Parses what the operation declares, in the order of checks (id 404, then query 400, then body 422), and runs its handler. */
const run =
  <D>(op: Operation<D>, deps: D): RequestHandler =>
  async (req, res) => {
    const params = op.params ? parseIds(op.params, req.params) : {};
    const query = op.query ? parseQuery(op.query.schema, queryOf(req)) : undefined;
    const body = op.body ? parseBody(op.body.schema, req.body) : undefined;
    await op.handler({ params, query, body, req, res }, deps);
  };

function guardOf(op: OperationDoc, guard: Guard | null): RequestHandler[] {
  if (op.permission === null) return [];
  if (!guard) throw new Error(`${op.method.toUpperCase()} ${op.path} needs ${op.permission}, but is mounted where no token is checked`);
  return guard(op.permission);
}

/** The body readers of an operation: none, or JSON (415/413/400), skipped when an optional body is absent. */
const bodyReaders = (op: OperationDoc) => (!op.body ? [] : bodyIsOptional(op.body) ? optionalJsonBody : jsonBody);

function byPath<D>(operations: readonly Operation<D>[]): Map<string, Operation<D>[]> {
  const paths = new Map<string, Operation<D>[]>();
  for (const op of operations) paths.set(op.path, [...(paths.get(op.path) ?? []), op]);
  return paths;
}

/**
 * Routes each operation: guard (401/403) → JSON body (415/413/400, only for operations with one) →
 * parse params, query and body → handler. Each path ends with the 405 answer naming its methods.
 */
export function mount<D>(router: { route(path: string): IRoute }, operations: readonly Operation<D>[], deps: MountDeps<D>): void {
  for (const [path, ops] of byPath(operations)) {
    const route = router.route(path);
    for (const op of ops) route[op.method](...guardOf(op, deps.guard), ...bodyReaders(op), run(op, deps));
    route.all(methodNotAllowed(...ops.map((op) => op.method.toUpperCase())));
  }
}
