import type { OpenApiDocument } from '../../src/openapi/document';

/** One operation of the OpenAPI document, flattened for table-driven tests. */
export type DocumentedOperation = {
  name: string;
  method: 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options';
  template: string;
  permissions: string[];
  /** Whether it takes a token: a permission, or (`permissions: []`) any valid token. */
  tokenRequired: boolean;
  queryParameters: string[];
  statuses: number[];
  bodyExample: unknown;
};

type Operation = {
  'x-permissions'?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { example?: unknown }> };
};

export function documentedOperations(doc: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(doc.paths ?? {}).flatMap(([template, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({
      name: `${method.toUpperCase()} ${template}`,
      method: method as DocumentedOperation['method'],
      template,
      permissions: op['x-permissions'] ?? [],
      tokenRequired: (op.security ?? []).length > 0,
      queryParameters: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      statuses: Object.keys(op.responses).map(Number),
      bodyExample: op.requestBody?.content['application/json']?.example,
    })),
  );
}

/** Declared in the route table, rather than HEAD of a GET or the CORS middleware's OPTIONS. */
export const isDeclared = (op: DocumentedOperation): boolean => op.method !== 'head' && op.method !== 'options';

/** A concrete path with every parameter set to `id`: the sample data has actor 1 and movie 1. */
export const concretePath = (template: string, id: number | string = 1): string => template.replace(/\{\w+\}/g, String(id));
