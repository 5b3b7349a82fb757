import { z } from 'zod';

/** The SQS body: only the job id; the job row carries everything else. */
export const CloneMessageSchema = z
  .object({
    version: z.literal('1'),
    jobId: z.string().regex(/^[a-z0-9-]{8,64}$/, 'must be a job id'),
  })
  .strict();

export type CloneMessage = z.infer<typeof CloneMessageSchema>;
