import { z } from 'zod';
import { patchOf, text } from '../http/schema-types';
import { Paging, inOrder, intParam, queryValue, searchParam, sortParam } from '../http/validate';

export const ActorCreate = z.strictObject({
  name: text(200),
  age: z.number().int('must be a whole number').min(0, 'must be at least 0').max(150, 'must be at most 150'),
  gender: text(50),
});
export const ActorPatch = patchOf(ActorCreate);

export type ActorCreate = z.infer<typeof ActorCreate>;
export type ActorPatch = z.infer<typeof ActorPatch>;
export type Actor = { id: number } & ActorCreate;

export const ActorListQuery = z
  .strictObject({
    ...Paging,
    q: searchParam.optional(),
    sort: sortParam(['id', 'name', 'age']),
    gender: queryValue.pipe(text(50)).optional(),
    min_age: intParam(0, 150).optional(),
    max_age: intParam(0, 150).optional(),
  })
  .refine(...inOrder('min_age', 'max_age'));
export type ActorListQuery = z.infer<typeof ActorListQuery>;
