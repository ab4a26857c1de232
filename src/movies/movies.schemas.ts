import { z } from 'zod';
import { patchOf, text } from '../http/schema-types';
import { Paging, inOrder, queryValue, searchParam, sortParam } from '../http/validate';

/** A real calendar date: `2023-02-30` matches the pattern but is refused. */
export const CalendarDate = z.iso
  .date({ error: 'must be a real calendar date, YYYY-MM-DD' })
  .refine((d) => !d.startsWith('0000'), 'must be a real calendar date, YYYY-MM-DD (there is no year 0)');

export const MovieCreate = z.strictObject({
  title: text(200),
  release_date: CalendarDate,
});
export const MoviePatch = patchOf(MovieCreate);

export type MovieCreate = z.infer<typeof MovieCreate>;
export type MoviePatch = z.infer<typeof MoviePatch>;
export type Movie = { id: number } & MovieCreate;

const dateParam = queryValue.pipe(CalendarDate);

export const MovieListQuery = z
  .strictObject({
    ...Paging,
    q: searchParam.optional(),
    sort: sortParam(['id', 'title', 'release_date']),
    released_after: dateParam.optional(),
    released_before: dateParam.optional(),
  })
  .refine(...inOrder('released_after', 'released_before'));
export type MovieListQuery = z.infer<typeof MovieListQuery>;
