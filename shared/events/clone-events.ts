import { z } from 'zod';
import { type CloneJob, JOB_STATUSES } from '../domain/clone-job.js';

/** EventBridge `source` of every event the service publishes. */
export const EVENT_SOURCE = 'instaclone';

export const DETAIL_TYPES = {
  succeeded: 'Clone Succeeded',
  failed: 'Clone Failed',
} as const;
export type CloneDetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

const NicSchema = z.object({ key: z.number(), mac: z.string(), addressType: z.string() });

/** `detail` of every clone event, version 1. Consumers match on `detail.version`. */
export const CloneEventDetailSchema = z.object({
  version: z.literal('1'),
  jobId: z.string(),
  status: z.enum(JOB_STATUSES),
  source: z.object({ path: z.string().optional(), moref: z.string().optional() }),
  vmName: z.string(),
  vm: z.object({ moref: z.string(), name: z.string(), nics: z.array(NicSchema) }).optional(),
  task: z.object({ moref: z.string() }).optional(),
  error: z
    .object({ code: z.string(), fault: z.string().optional(), message: z.string(), retryable: z.boolean() })
    .optional(),
  createdAt: z.string(),
  finishedAt: z.string(),
});
export type CloneEventDetail = z.infer<typeof CloneEventDetailSchema>;

/** An event as the service hands it to the EventPublisher port. */
export type CloneEvent = { detailType: CloneDetailType; detail: CloneEventDetail };

/** The completion event announcing a terminal job. Rejects non-terminal jobs: an event never runs ahead of the table. */
export const cloneEventFor = (job: CloneJob): CloneEvent => {
  if (job.status !== 'SUCCEEDED' && job.status !== 'FAILED')
    throw new Error(`Job ${job.jobId} is ${job.status}, not terminal`);
  return {
    detailType: job.status === 'SUCCEEDED' ? DETAIL_TYPES.succeeded : DETAIL_TYPES.failed,
    detail: {
      version: '1',
      jobId: job.jobId,
      status: job.status,
      source: job.request.source,
      vmName: job.vmName,
      ...(job.vm && { vm: job.vm }),
      ...(job.task && { task: job.task }),
      ...(job.error && { error: job.error }),
      createdAt: job.createdAt,
      finishedAt: job.updatedAt,
    },
  };
};
