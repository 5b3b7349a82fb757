import type { CloneGrant } from '../../access/model/grant.js';
import type { Principal } from '../../access/model/principal.js';
import type { CloneRequest } from './clone-request.js';

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'DESTROYING', 'DESTROYED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Which states a job may move to from each state. The clone's life ends in SUCCEEDED or FAILED; a SUCCEEDED
 * clone is later destroyed (DELETE or lease expiry) through DESTROYING, which may be re-entered by a retry.
 * A DELETE before the clone finished ends it at once: QUEUED → DESTROYED (no clone exists yet), RUNNING →
 * DESTROYING (the clone, once it exists, is destroyed).
 */
export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  QUEUED: ['RUNNING', 'FAILED', 'DESTROYED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'DESTROYING'],
  SUCCEEDED: ['DESTROYING'],
  FAILED: [],
  DESTROYING: ['DESTROYED'],
  DESTROYED: [],
};

/** The clone step is over: nothing more for the clone worker to do. */
export const isCloneFinished = (status: JobStatus): boolean => !['QUEUED', 'RUNNING'].includes(status);
/**
 * The job still needs the worker: its clone or destroy step is not over (QUEUED, RUNNING, DESTROYING), its status is
 * not announced yet, or it ended with a clone still to destroy (`cleanupPending`). The reconciler re-drives exactly
 * these; every other job is settled and never read again by housekeeping.
 */
export const needsWorker = (job: Pick<CloneJob, 'status' | 'announced' | 'cleanupPending'>): boolean =>
  !isCloneFinished(job.status) ||
  job.status === 'DESTROYING' ||
  job.announced !== job.status ||
  job.cleanupPending === true;
export const isTerminal = (status: JobStatus): boolean => TRANSITIONS[status].length === 0;
export const canTransition = (from: JobStatus, to: JobStatus): boolean => TRANSITIONS[from].includes(to);

export type ClonedNic = { key: number; mac: string; addressType: string };
/**
 * A MAC the job holds for one NIC of its request (by the NIC's key or label): a manual one, or one allocated from
 * managed range `range`. No other live job of the service holds the same MAC.
 */
export type JobMac = { key?: number; label?: string; mac: string; range?: string };
export type ClonedVm = { moref: string; name: string; nics: ClonedNic[]; ipAddress?: string };

/**
 * The events a callback is sent for, named as the keys of `DETAIL_TYPES` (`Clone Succeeded` → `succeeded`).
 * `succeeded` and `ready` both announce SUCCEEDED, so the job status alone could not tell their callbacks apart.
 */
export const CALLBACK_EVENTS = ['succeeded', 'ready', 'failed', 'destroyed'] as const;
export type CallbackEvent = (typeof CALLBACK_EVENTS)[number];

/**
 * The last delivery of one event's callback, as the callback notifier recorded it. Holds no secret: the URL is the
 * caller's own and `reason` never carries the receiver's body.
 */
export type JobCallback = {
  /** `refused`: the URL was never tried (scheme or address not allowed). */
  state: 'delivered' | 'failed' | 'refused';
  url: string;
  /** Attempts made, the first included (0 when refused). */
  attempts: number;
  /** HTTP status of the last answer, if any. */
  status?: number;
  /** Why it failed or was refused. */
  reason?: string;
  /** When the delivery ended (ISO time). */
  at: string;
  /** The `X-Instaclone-Delivery` header the receiver got. */
  deliveryId: string;
};

/** The last callback delivery per event; an event without a callback (yet) has no key. */
export type JobCallbacks = Partial<Record<CallbackEvent, JobCallback>>;

/** What went wrong in one attempt: the error as it happened, with the vSphere fault type when there was one. */
export type JobErrorCause = { code: string; fault?: string; message: string };

/**
 * A failure as recorded on the job and announced in `Clone Failed`. `cause` is the last attempt's error when the
 * job ended for a reason of its own (`DEADLINE_EXCEEDED`, `RETRIES_EXHAUSTED`).
 */
export type JobError = JobErrorCause & { retryable: boolean; cause?: JobErrorCause };

/** The last failed attempt of a job, shown while it is retried (and kept once it ended). */
export type AttemptError = JobErrorCause & { at: string };

/**
 * One clone request's record: the table is the source of truth, the queue only delivery.
 * `version` increases with every write so a stale delivery can never move a job backwards.
 */
export type CloneJob = {
  jobId: string;
  status: JobStatus;
  version: number;
  request: CloneRequest;
  /**
   * Who asked: the principal the policy admitted (a warm-pool clone: its claimer once claimed). Absent only on jobs
   * stored before requests carried a principal.
   */
  requestedBy?: Principal;
  /** The rule (or internal path) that admitted the request and the quota counters the job holds. */
  grant?: CloneGrant;
  /** Deterministic VM name: a repeated attempt finds the first attempt's VM. */
  vmName: string;
  task?: { moref: string };
  /** The MACs the job holds (manual and range-allocated), claimed at submit; absent when it asked for none. */
  macs?: JobMac[];
  vm?: ClonedVm;
  error?: JobError;
  /** When the job must have ended (ISO time): `createdAt` + `timeoutMinutes`. Absent on jobs older than deadlines. */
  deadlineAt?: string;
  /** Attempts started so far (the first one included); the retry budget counts them. */
  attempts?: number;
  /** The last failed attempt's error. */
  lastError?: AttemptError;
  /** When the next attempt starts (ISO time), while a failed attempt waits for its retry. */
  nextAttemptAt?: string;
  /**
   * The job ended (FAILED, or DESTROYED by an early DELETE) while a clone may exist for it: the worker destroys
   * that clone (only a VM carrying the job id) and then clears this.
   */
  cleanupPending?: boolean;
  /** The status whose event has been published; an event is re-sent until this catches up with `status`. */
  announced?: JobStatus;
  /** Guest IP of the source when the clone started: the clone reports it until it re-identifies itself. */
  sourceIp?: string;
  /** Lease end (ISO time), from `ttlMinutes`, set when the clone is ready. */
  leaseExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
  /**
   * The delivery that may start a clone for this job, until `until`: a second delivery of the same message never
   * clones concurrently (it would race the first one's InstantClone_Task), it waits for the first to finish or expire.
   */
  attempt?: { until: string };
  /** DELETE arrived before the clone finished: destroy it as soon as it exists. */
  destroyRequested?: boolean;
  /** When the clone was ready (task done, or guest IP known with `waitFor: ip`). */
  readyAt?: string;
  /** When late guestinfo (a `configure` message, e.g. a warm runner's JIT config) was set on the running clone. */
  configuredAt?: string;
  /** When the message that started the clone was sent to the queue (SQS `SentTimestamp` of that delivery). */
  queuedAt?: string;
  /** When a worker took the job (QUEUED → RUNNING): the end of its queue time. */
  startedAt?: string;
  /** When the latest InstantClone_Task was created (recorded with its moref). */
  taskStartedAt?: string;
  /** When that task ended, in success or in error. */
  taskEndedAt?: string;
  /** When a warm-pool spare was claimed (a clone made for a claim is claimed from its start). */
  claimedAt?: string;
  /** When the clone was destroyed (DESTROYING → DESTROYED). */
  destroyedAt?: string;
  /**
   * Callback outcomes, written only by the callback notifier and outside the versioned transitions (see
   * `JobRepository.recordCallback`), so a late callback never conflicts with the worker.
   */
  callbacks?: JobCallbacks;
};

/** What the API shows: the job without bookkeeping fields. */
export type CloneJobView = Pick<
  CloneJob,
  | 'jobId'
  | 'status'
  | 'request'
  | 'requestedBy'
  | 'vmName'
  | 'vm'
  | 'macs'
  | 'task'
  | 'error'
  | 'deadlineAt'
  | 'attempts'
  | 'lastError'
  | 'nextAttemptAt'
  | 'leaseExpiresAt'
  | 'createdAt'
  | 'updatedAt'
  | 'readyAt'
  | 'configuredAt'
  | 'queuedAt'
  | 'startedAt'
  | 'taskStartedAt'
  | 'taskEndedAt'
  | 'claimedAt'
  | 'destroyedAt'
  | 'callbacks'
> & { labels: Record<string, string> };

export const toJobView = (job: CloneJob): CloneJobView => ({
  jobId: job.jobId,
  status: job.status,
  request: job.request,
  ...(job.requestedBy && { requestedBy: job.requestedBy }),
  vmName: job.vmName,
  ...(job.task && { task: job.task }),
  ...(job.vm && { vm: job.vm }),
  ...(job.macs && { macs: job.macs }),
  ...(job.error && { error: job.error }),
  ...(job.deadlineAt && { deadlineAt: job.deadlineAt }),
  ...(job.attempts !== undefined && { attempts: job.attempts }),
  ...(job.lastError && { lastError: job.lastError }),
  ...(job.nextAttemptAt && { nextAttemptAt: job.nextAttemptAt }),
  labels: job.request.labels ?? {},
  ...(job.leaseExpiresAt && { leaseExpiresAt: job.leaseExpiresAt }),
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  ...(job.readyAt && { readyAt: job.readyAt }),
  ...(job.configuredAt && { configuredAt: job.configuredAt }),
  ...(job.queuedAt && { queuedAt: job.queuedAt }),
  ...(job.startedAt && { startedAt: job.startedAt }),
  ...(job.taskStartedAt && { taskStartedAt: job.taskStartedAt }),
  ...(job.taskEndedAt && { taskEndedAt: job.taskEndedAt }),
  ...(job.claimedAt && { claimedAt: job.claimedAt }),
  ...(job.destroyedAt && { destroyedAt: job.destroyedAt }),
  ...(job.callbacks && { callbacks: job.callbacks }),
});

/**
 * Whether the job still holds its MACs: while its clone is wanted or may exist. A FAILED job holds them only while
 * its clone may still exist (a failed job's VM awaiting destruction); a DESTROYED one never does.
 */
export const holdsMacs = (job: Pick<CloneJob, 'status'> & { cleanupPending?: boolean }): boolean =>
  job.status === 'DESTROYED' ? false : job.status === 'FAILED' ? job.cleanupPending === true : true;

/** The VM name a job clones to: the request's name, or one derived from the job id. */
export const vmNameFor = (jobId: string, request: CloneRequest): string => request.name ?? `instaclone-${jobId}`;
