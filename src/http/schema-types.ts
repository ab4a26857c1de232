import { z } from 'zod';

/** Trimmed text of 1..max characters; NUL cannot be stored in PostgreSQL `text`, so it is refused here. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** A PATCH body: any non-empty subset of the create fields, checked whole before anything changes. */
export const patchOf = <T extends z.ZodObject>(create: T) =>
  create.partial().refine((body) => Object.keys(body).length > 0, {
    message: `must contain at least one of: ${Object.keys(create.shape).join(', ')}`,
  });
