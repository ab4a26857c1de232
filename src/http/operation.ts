import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from './errors';
import type { Requirement } from '../auth/permissions';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Path parameters that are ids, each with the noun its 404 names: `{ id: 'Movie', actorId: 'Actor' }`. */
export type IdParams = Readonly<Record<string, string>>;

/** A response header; `required`: sent with every answer of that status. */
export type HeaderDoc = { description: string; schema: { type: 'string' }; required?: boolean; example?: string };

/** One answer an operation can give, as the document shows it. */
export type ResponseDoc = {
  description: string;
  /** For an error status the operation gives besides the usual ones: the code and a sample message of its `Error` body. */
  error?: { code: ErrorCode; message: string };
  /** A zod schema for JSON bodies; `contentType` for anything else (e.g. the HTML of /docs). */
  schema?: z.ZodType;
  contentType?: string;
  headers?: Record<string, HeaderDoc>;
};

/** The operation's query schema, and a sentence for each of its parameters. */
export type QueryDoc<S extends z.ZodObject = z.ZodObject> = { schema: S; describe: Record<string, string> };
/** A JSON body; a schema that accepts `undefined` (`.optional()`) makes it optional: no body at all is then let through. */
export type BodyDoc<S extends z.ZodType = z.ZodType> = { schema: S; example: unknown };

/** Whether the operation may be called without a body (its schema accepts `undefined`). */
export const bodyIsOptional = (body: BodyDoc): boolean => body.schema.safeParse(undefined).success;

/** Everything about an operation but its handler: what `mount` routes and `describe` documents. */
export type OperationDoc = {
  method: Method;
  /** Express style: `/actors/:id`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** What the guard checks: a permission, `AUTHENTICATED` (any valid token), or `null`: public, no token needed. */
  permission: Requirement | null;
  params?: IdParams;
  query?: QueryDoc;
  /** A JSON body: read (415/413/400) only after the guard, then validated (422). */
  body?: BodyDoc;
  /** The successful answers; the error answers follow from the rest. */
  responses: Record<number, ResponseDoc>;
  /** Operations that read or write the database can answer 503. Default: true. */
  database?: boolean;
  /** Counted by the rate limits (429). Default: true; `false` only for the health checks. */
  rateLimited?: boolean;
  /** PATCH/DELETE that honour `If-Match` (412 when it no longer matches). */
  conditional?: boolean;
  /** A GET that sets `ETag`: `If-None-Match` naming it (or `*`) answers 304 with no body (Express's freshness check). */
  notModified?: boolean;
  /**
   * Where the document shows the operation when Express routes it at `path` too: the page Express
   * routes at `/docs` is at `/docs/`, and `/docs` itself only redirects there (301).
   */
  canonicalPath?: string;
};

/** What a handler gets: its input parsed as declared, and the request and response for the rest. */
export type Input<P, Q, B> = { params: P; query: Q; body: B; req: Request; res: Response };

type Parsed<S> = [S] extends [never] ? undefined : S extends z.ZodType ? z.output<S> : undefined;
type Ids<P> = { readonly [K in keyof P]: number };

export type Handler<D, P = Record<string, number>, Q = unknown, B = unknown> = (input: Input<P, Q, B>, deps: D) => Promise<void> | void;

export type Operation<D> = OperationDoc & { handler: Handler<D> };

export type OperationSpec<D, P extends IdParams, Q extends z.ZodObject, B extends z.ZodType> = Omit<
  OperationDoc,
  'params' | 'query' | 'body'
> & {
  params?: P;
  query?: QueryDoc<Q>;
  body?: BodyDoc<B>;
  handler: Handler<D, Ids<P>, Parsed<Q>, Parsed<B>>;
};

/**
 * Declares an operation, typing its handler's input from its own params, query and body schemas.
 * `D` is what the handler needs (a repository, …), read from its second parameter's annotation.
 * The cast is sound because `mount` parses exactly what the spec declares.
 */
export const operation = <
  D = unknown,
  P extends IdParams = Record<never, string>,
  Q extends z.ZodObject = never,
  B extends z.ZodType = never,
>(
  spec: OperationSpec<D, P, Q, B>,
): Operation<D> => spec as unknown as Operation<D>;
