import { z } from 'zod';
import { patchOf, text } from '../http/schema-types';

export const ActorCreate = z.strictObject({
  name: text(200),
  age: z.number().int('must be a whole number').min(0, 'must be at least 0').max(150, 'must be at most 150'),
  gender: text(50),
});
export const ActorPatch = patchOf(ActorCreate);

export type ActorCreate = z.infer<typeof ActorCreate>;
export type ActorPatch = z.infer<typeof ActorPatch>;
export type Actor = { id: number } & ActorCreate;
