import type { Express } from 'express';

export type ServedRoute = { method: string; path: string };

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean | undefined> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
};

/** Express `/actors/:id` → OpenAPI `/actors/{id}`; no trailing slash (routing is not strict). */
export const toOpenApiPath = (expressPath: string): string => {
  const path = expressPath.replace(/:(\w+)/g, '{$1}').replace(/\/+$/, '');
  return path === '' ? '/' : path;
};

function walk(stack: readonly Layer[], prefix: string, out: ServedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = ([] as string[]).concat(layer.route.path);
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all' && layer.route?.methods[m]);
      for (const path of paths)
        for (const method of methods) out.push({ method: method.toUpperCase(), path: toOpenApiPath(prefix + path) });
    } else if (Array.isArray(layer.handle?.stack)) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

/**
 * Every method and path the app routes, read from Express's router stack (router 2 keeps each
 * mount's `rawPath`). `.all()` handlers (405 answers) are not routes of their own.
 */
export function listRoutes(app: Express): ServedRoute[] {
  const out: ServedRoute[] = [];
  walk((app.router as unknown as { stack: Layer[] }).stack, '', out);
  return out;
}
