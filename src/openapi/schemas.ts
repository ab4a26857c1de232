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
export const ActorSchema = z
  .strictObject({ id: Id, ...ActorCreate.shape })
  .meta({ id: 'Actor', example: { id: 1, name: 'Kevin', age: 22, gender: 'male' } });

export const MovieSchema = z
  .strictObject({ id: Id, ...MovieCreate.shape })
  .meta({ id: 'Movie', example: { id: 1, title: 'The Prestige', release_date: '2006-10-20' } });

export const ActorWithMovies = ActorSchema.extend({ movies: z.array(MovieSchema) }).meta({ id: 'ActorWithMovies' });
export const MovieWithActors = MovieSchema.extend({ actors: z.array(ActorSchema) }).meta({ id: 'MovieWithActors' });

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

/** The envelope of a list: `{ success, <key>: [item], <countKey>, page, limit }`. */
export const listOf = <K extends string, C extends string>(key: K, countKey: C, item: z.ZodType) =>
  z.strictObject({
    success: z.literal(true),
    [key]: z.array(item),
    [countKey]: z.number().int().min(0).meta({ description: 'Every matching row, not just this page' }),
    page: z.number().int().min(1),
    limit: z.number().int().min(1),
  } as Record<'success' | K | C | 'page' | 'limit', z.ZodType>);

export const ok = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ success: z.literal(true), ...shape });
