import * as z from 'zod';
import { type CallbackEvent, type CloneJob, JOB_STATUSES, type JobStatus } from '../clones/model/clone-job.js';

/** EventBridge `source` of every event the service publishes. */
export const EVENT_SOURCE = 'instaclone';

export const DETAIL_TYPES = {
  succeeded: 'Clone Succeeded',
  failed: 'Clone Failed',
  ready: 'Clone Ready',
  destroyed: 'Clone Destroyed',
} as const satisfies Record<CallbackEvent, string>;
/**
 * Late guestinfo reached a running clone (a warm-pool runner's JIT config after its claim). Not a completion: no
 * callback, Slack message or scaler pass follows it; `durationMs` counts from the configure request.
 */
export const CONFIGURED_DETAIL_TYPE = 'Clone Configured';
export type CloneDetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES] | typeof CONFIGURED_DETAIL_TYPE;

/** The key a job's `callbacks` records this detail type under; undefined for a type this service does not publish. */
export const callbackEventOf = (detailType: string): CallbackEvent | undefined =>
  (Object.keys(DETAIL_TYPES) as CallbackEvent[]).find((event) => DETAIL_TYPES[event] === detailType);

const NicSchema = z.object({ key: z.number(), mac: z.string(), addressType: z.string() });

/** `detail` of every clone event, version 1. Consumers match on `detail.version`. */
export const CloneEventDetailSchema = z.object({
  version: z.literal('1'),
  jobId: z.string(),
  status: z.enum(JOB_STATUSES),
  source: z.object({ path: z.string().optional(), moref: z.string().optional(), name: z.string().optional() }),
  labels: z.record(z.string(), z.string()),
  /** Who asked (absent for jobs made before principals existed): enough to trace, without the token's claims. */
  requestedBy: z.object({ id: z.string(), kind: z.string() }).optional(),
  vmName: z.string(),
  vm: z
    .object({ moref: z.string(), name: z.string(), nics: z.array(NicSchema), ipAddress: z.string().optional() })
    .optional(),
  task: z.object({ moref: z.string() }).optional(),
  error: z
    .object({
      code: z.string(),
      fault: z.string().optional(),
      message: z.string(),
      retryable: z.boolean(),
      /** With `DEADLINE_EXCEEDED` and `RETRIES_EXHAUSTED`: the last attempt's error. */
      cause: z.object({ code: z.string(), fault: z.string().optional(), message: z.string() }).optional(),
    })
    .optional(),
  callbackUrl: z.string().optional(),
  leaseExpiresAt: z.string().optional(),
  createdAt: z.string(),
  readyAt: z.string().optional(),
  /** When the job reached the status this event announces. */
  at: z.string(),
  /** Milliseconds from the request to this event's status. */
  durationMs: z.number(),
});
export type CloneEventDetail = z.infer<typeof CloneEventDetailSchema>;

/** An event as the service hands it to the EventPublisher port. */
export type CloneEvent = { detailType: CloneDetailType; detail: CloneEventDetail };

/** The detail types announcing each status; statuses in between announce nothing. */
const detailTypesFor = (job: CloneJob): CloneDetailType[] => {
  const byStatus: Partial<Record<JobStatus, CloneDetailType[]>> = {
    SUCCEEDED: job.request.waitFor === 'ip' ? [DETAIL_TYPES.succeeded, DETAIL_TYPES.ready] : [DETAIL_TYPES.succeeded],
    FAILED: [DETAIL_TYPES.failed],
    DESTROYED: [DETAIL_TYPES.destroyed],
  };
  return byStatus[job.status] ?? [];
};

const detailOf = (job: CloneJob, at: string, since: string): CloneEventDetail => ({
  version: '1',
  jobId: job.jobId,
  status: job.status,
  source: job.request.source,
  labels: job.request.labels ?? {},
  ...(job.requestedBy && { requestedBy: { id: job.requestedBy.id, kind: job.requestedBy.kind } }),
  vmName: job.vmName,
  ...(job.vm && { vm: job.vm }),
  ...(job.task && { task: job.task }),
  ...(job.error && { error: job.error }),
  ...(job.request.callbackUrl && { callbackUrl: job.request.callbackUrl }),
  ...(job.leaseExpiresAt && { leaseExpiresAt: job.leaseExpiresAt }),
  createdAt: job.createdAt,
  ...(job.readyAt && { readyAt: job.readyAt }),
  at,
  durationMs: Date.parse(at) - Date.parse(since),
});

/** The events announcing the job's current status (none for QUEUED, RUNNING, DESTROYING). */
export const cloneEventsFor = (job: CloneJob): CloneEvent[] =>
  detailTypesFor(job).map((detailType) => ({ detailType, detail: detailOf(job, job.updatedAt, job.createdAt) }));

/**
 * `Clone Configured` for a job whose late guestinfo was set `at`; `durationMs` runs from `requestedAt`, or from the
 * job's last write (its claim) when the request did not say.
 */
export const configuredEventFor = (
  job: CloneJob,
  times: { at: string; requestedAt?: string | undefined },
): CloneEvent => ({
  detailType: CONFIGURED_DETAIL_TYPE,
  detail: detailOf(job, times.at, times.requestedAt ?? job.updatedAt),
});
