import * as z from 'zod';
import { JOB_STATUSES } from '../../clones/model/clone-job.js';

/** vCenter as the status saw it: a login and one authenticated call, how long they took, and what answered. */
export const VcenterStatusSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    latencyMs: z.number().int().min(0),
    apiVersion: z.string(),
    apiType: z.string(),
  }),
  z.object({
    status: z.literal('error'),
    latencyMs: z.number().int().min(0),
    /** The error's code (`VCENTER_UNAVAILABLE`, `VCENTER_FAULT`, …) and its message, with the fix where one is known. */
    error: z.object({ code: z.string(), fault: z.string().optional(), message: z.string() }),
  }),
]);
export type VcenterStatus = z.infer<typeof VcenterStatusSchema>;

/** SQS's approximate counts (they lag by up to a minute). */
export const QueueDepthSchema = z.object({
  /** Ready to be received. */
  visible: z.number().int().min(0),
  /** Received and not yet deleted: in a worker, or waiting out a backoff or visibility timeout. */
  inFlight: z.number().int().min(0),
  /** Sent with a delay not yet over. */
  delayed: z.number().int().min(0),
});
export type QueueDepth = z.infer<typeof QueueDepthSchema>;

/** The unfinished (QUEUED or RUNNING) job created first: the one that has waited longest. */
export const OldestUnfinishedSchema = z.object({
  jobId: z.string(),
  status: z.enum(['QUEUED', 'RUNNING']),
  createdAt: z.string(),
  ageSeconds: z.number().int().min(0),
});
export type OldestUnfinished = z.infer<typeof OldestUnfinishedSchema>;

/** `GET /v1/status`: what an operator looks at first when jobs do not finish. Versioned like every contract. */
export const StatusReportSchema = z.object({
  version: z.literal('1'),
  at: z.string(),
  vcenter: VcenterStatusSchema,
  queue: QueueDepthSchema,
  deadLetterQueue: QueueDepthSchema,
  jobs: z.object({
    /** Jobs per status, as the status index holds them now. */
    byStatus: z.record(z.enum(JOB_STATUSES), z.number().int().min(0)),
    /** Absent when no job is QUEUED or RUNNING. */
    oldestUnfinished: OldestUnfinishedSchema.optional(),
  }),
});
export type StatusReport = z.infer<typeof StatusReportSchema>;
