import { z } from 'zod';
import { text } from '../http/schema-types';

/**
 * The optional body of PUT /movies/:id/actors/:actorId. The schema accepts no body at all
 * (`undefined`): `mount` then reads none, and the document marks the body as not required.
 */
export const CastBody = z
  .strictObject({ character: text(200).nullable().optional() })
  .meta({ id: 'CastBody', description: '`character`: who the actor plays; `null` clears it; absent leaves an existing entry as it is' })
  .optional();
export type CastBody = z.infer<typeof CastBody>;
