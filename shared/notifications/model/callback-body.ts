import * as z from 'zod';
import { CloneEventDetailSchema } from '../../events/clone-events.js';

/** The body a callback receiver gets, version 1: the event's type and the job as the event describes it. */
export const CallbackBodySchema = z.object({
  version: z.literal('1'),
  type: z.string(),
  deliveryId: z.string(),
  job: CloneEventDetailSchema,
});
export type CallbackBody = z.infer<typeof CallbackBodySchema>;
