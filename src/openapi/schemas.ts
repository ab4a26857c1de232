import { z } from 'zod';
import { ActorCreate } from '../actors/actors.schemas';
import { ErrorCode, type ErrorBody } from '../http/errors';
import { Id } from '../http/validate';
import { MovieCreate } from '../movies/movies.schemas';

/*
 * Response shapes, built from the schemas the routes validate with: a stored actor is the create
 * body plus its id. `.meta({ id })` names the component; zod's own metadata needs no
 * `extendZodWithOpenApi`, which would have to run before any schema is created to take effect.
 * Objects are strict so that a field the API starts sending without documenting it fails the
 * response check in tests/kit/openapi-check.ts.
 */
const KEVIN = { id: 1, name: 'Kevin', age: 22, gender: 'male' };
const THE_PRESTIGE = { id: 1, title: 'The Prestige', release_date: '2006-10-20' };

export const ActorSchema = z.strictObject({ id: Id, ...ActorCreate.shape }).meta({ id: 'Actor', example: KEVIN });
export const MovieSchema = z.strictObject({ id: Id, ...MovieCreate.shape }).meta({ id: 'Movie', example: THE_PRESTIGE });

/** The character an actor plays in a movie; null while it is not named. */
export const Character = z
  .string()
  .min(1)
  .max(200)
  .nullable()
  .meta({ id: 'Character', description: 'Who the actor plays in the movie; `null`: not named', example: 'Alfred Borden' });

// The sample data: Kevin is cast in The Prestige, as Alfred Borden.
const AS_BORDEN = { character: 'Alfred Borden' };
/** An actor in a movie's cast, with the character they play. */
export const CastMember = ActorSchema.extend({ character: Character }).meta({ id: 'CastMember', example: { ...KEVIN, ...AS_BORDEN } });
/** A movie an actor is cast in, with the character they play in it. */
export const ActorRole = MovieSchema.extend({ character: Character }).meta({ id: 'ActorRole', example: { ...THE_PRESTIGE, ...AS_BORDEN } });

export const ActorWithMovies = ActorSchema.extend({ movies: z.array(ActorRole) }).meta({
  id: 'ActorWithMovies',
  example: { ...KEVIN, movies: [{ ...THE_PRESTIGE, ...AS_BORDEN }] },
});
export const MovieWithActors = MovieSchema.extend({ actors: z.array(CastMember) }).meta({
  id: 'MovieWithActors',
  example: { ...THE_PRESTIGE, actors: [{ ...KEVIN, ...AS_BORDEN }] },
});

/** Codes the error handler sends: ours (`invalid_request` among them), and `invalid_token`, which the token verifier names itself. */
const ERROR_CODES = [...Object.values(ErrorCode), 'invalid_token'] as const;

export const ErrorSchema = z
  .strictObject({
    success: z.literal(false),
    error: z.number().int().min(400).max(599).meta({ description: 'The HTTP status, repeated' }),
    message: z.string().meta({ description: 'What went wrong, for a person' }),
    code: z.enum(ERROR_CODES).meta({ description: 'What went wrong, for a program' }),
    details: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per problem, on validation errors (422) and bad query parameters (400)' }),
  })
  .meta({ id: 'Error', description: 'Every error answer has this shape' });

// The schema must describe the body src/http/errors.ts builds: this fails to compile if they part.
type Exact<A, B> = [A] extends [B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const errorSchemaMatchesErrorBody: Exact<z.infer<typeof ErrorSchema>, ErrorBody> = true;
void errorSchemaMatchesErrorBody;

export const PAGE_DESCRIPTIONS = { page: 'Page number, from 1', limit: 'Rows per page' };

export const IdParam = Id.meta({ description: 'A positive integer', example: 1 });
export const IdParams = z.strictObject({ id: IdParam });

/** The envelope of a list: `{ success, <key>: [item], <countKey>, page, limit }`; its example, a first page of the one item. */
export const listOf = <K extends string, C extends string>(key: K, countKey: C, item: z.ZodType) =>
  z.strictObject({
    success: z.literal(true),
    [key]: z.array(item),
    [countKey]: z.number().int().min(0).meta({ description: 'Every matching row, not just this page', example: 1 }),
    page: z.number().int().min(1).meta({ example: 1 }),
    limit: z.number().int().min(1).meta({ example: 50 }),
  } as Record<'success' | K | C | 'page' | 'limit', z.ZodType>);

/**
 * `CalendarDate` as a pattern: zod's own (a real day of a real month, 29 February in leap years)
 * with the years from 0001: `format: date` and zod's pattern both allow year 0000, which the API
 * refuses. No look-ahead, so that tools which generate values from patterns can read it.
 */
const YEAR = '(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})';
const LEAP_YEAR = '(?:[0-9]{2}[2468][048]|[0-9]{2}[13579][26]|[0-9]{2}0[48]|(?:0[48]|[2468][048]|[13579][26])00)';
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))';
export const DATE_PATTERN = `^(?:${LEAP_YEAR}-02-29|${YEAR}-${MONTH_DAY})$`;

/** Gives every `format: date` string of a generated document `DATE_PATTERN`, in place. */
export function withDatePattern<T extends object>(doc: T): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (schema.type === 'string' && schema.format === 'date') schema.pattern = DATE_PATTERN;
    Object.values(schema).forEach(visit);
  };
  visit(doc);
  return doc;
}

export const ok = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ success: z.literal(true), ...shape });
