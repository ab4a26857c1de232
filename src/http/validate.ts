import { z } from 'zod';
import type { Sort } from '../db/paging';
import { ErrorCode, HttpError, notFound, type ErrorDetail } from './errors';

const MAX_INT = 2_147_483_647;

/** Ids are PostgreSQL `integer`s; anything else cannot name a row, so it is "not found". */
export const Id = z.coerce.number().int().positive().max(MAX_INT);

export function parseId(raw: unknown, what: string): number {
  const parsed = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Id.safeParse(raw) : null;
  if (!parsed?.success) throw notFound(`${what} ${JSON.stringify(raw)} not found: ids are positive integers`);
  return parsed.data;
}

/** Every id path parameter of a route, each with the noun its 404 names (`{ id: 'Actor' }`), in that order. */
export function parseIds(nouns: Readonly<Record<string, string>>, raw: Readonly<Record<string, unknown>>): Record<string, number> {
  return Object.fromEntries(Object.entries(nouns).map(([name, noun]) => [name, parseId(raw[name], noun)]));
}

/** One detail per problem; an unknown key is reported at its own path, not at its parent's. */
export const zodDetails = (error: z.ZodError): ErrorDetail[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), message: 'is not a known field' }))
      : [{ path: issue.path.join('.'), message: issue.message }],
  );

/** A well-formed JSON body that does not fit its schema fails with 422, one detail per problem. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new HttpError(422, ErrorCode.validationFailed, 'The request body is not valid', zodDetails(parsed.error));
}

/** Query strings fail with 400 (a bad parameter), naming every parameter that is wrong. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const details = zodDetails(parsed.error).map((d) =>
    d.message === 'is not a known field' ? { ...d, message: 'is not a known parameter' } : d,
  );
  const problems = details.map((d) => `${d.path} ${d.message}`).join('; ');
  const allowed = schema instanceof z.ZodObject ? `; allowed parameters: ${Object.keys(schema.shape).join(', ')}` : '';
  throw new HttpError(400, ErrorCode.invalidQuery, `Invalid query parameter: ${problems}${allowed}`, details);
}

/** A single query value: repeated parameters (`?page=1&page=2`) are refused rather than guessed at. */
export const queryValue = z.string({ error: 'must be given once, as a single value' });

/** A whole number within [min, max], given once; a negative one is told the bound it is under. */
export const intParam = (min: number, max: number) =>
  queryValue
    .regex(/^-?\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** The largest `page` a list accepts. */
export const MAX_PAGE = 1_000_000;

export const Paging = {
  page: intParam(1, MAX_PAGE).default(1),
  limit: intParam(1, 200).default(50),
};

export const PageQuery = z.strictObject(Paging);

export const sortParam = <F extends string>(fields: readonly [F, ...F[]]) => {
  const allowed = fields.flatMap((f) => [f, `-${f}`]);
  // `meta`: the document shows the value that is sent (`-name`), not the object the route makes of it.
  return queryValue
    .refine((v) => allowed.includes(v), `must be one of: ${allowed.join(', ')}`)
    .transform((v): Sort<F> => ({ field: v.replace(/^-/, '') as F, descending: v.startsWith('-') }))
    .default({ field: fields[0], descending: false })
    .meta({ type: 'string', enum: allowed, default: fields[0] });
};

/** Text to search for, taken literally (no trimming: a space can be part of what is searched). */
export const searchParam = queryValue
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** `[check, options]` for `.refine(...)`: the lower bound of a range must not be above its upper bound. */
export const inOrder = <K extends string>(
  low: K,
  high: K,
): [(q: Partial<Record<K, string | number>>) => boolean, { path: string[]; message: string }] => [
  (q) => q[low] === undefined || q[high] === undefined || q[low] <= q[high],
  { path: [low], message: `must not be greater than ${high}` },
];
