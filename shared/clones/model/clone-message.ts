import * as z from 'zod';

/**
 * The SQS body: the job id and what to do with it; the job row carries everything else. `configure` hands a
 * finished clone its late guestinfo (a warm-pool runner's JIT config); `requestedAt` is when that was asked for,
 * so the `Clone Configured` event can say how long it took.
 */
export const CloneMessageSchema = z
  .object({
    version: z.literal('1'),
    jobId: z.string().regex(/^[a-z0-9-]{8,64}$/, 'must be a job id'),
    action: z.enum(['clone', 'destroy', 'configure']).default('clone'),
    requestedAt: z.iso.datetime().optional(),
  })
  .strict();

export type CloneMessage = z.infer<typeof CloneMessageSchema>;
export type CloneMessageInput = z.input<typeof CloneMessageSchema>;
