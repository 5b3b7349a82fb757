import { AppError } from '../../errors/app-error.js';
import { type CloneJob, canTransition, type JobStatus, needsWorker } from './clone-job.js';

/** Fields a change may set alongside the status; a field patched to `undefined` is removed. */
export type JobPatch = Partial<
  Pick<
    CloneJob,
    | 'task'
    | 'vm'
    | 'error'
    | 'deadlineAt'
    | 'attempts'
    | 'lastError'
    | 'nextAttemptAt'
    | 'cleanupPending'
    | 'announced'
    | 'attempt'
    | 'sourceIp'
    | 'leaseExpiresAt'
    | 'readyAt'
    | 'destroyRequested'
    | 'configuredAt'
    | 'queuedAt'
    | 'startedAt'
    | 'taskStartedAt'
    | 'taskEndedAt'
    | 'destroyedAt'
  >
>;

/**
 * One versioned change of a job, as {@link transition} decided it. A store writes it only while the stored job still
 * has `expected` status and version (else StaleTransitionError) and judges nothing else.
 */
export type JobChange = {
  jobId: string;
  /** Part of the status index's sort key. */
  createdAt: string;
  /** The job as it was read: the write happens only if it still is. */
  expected: { status: JobStatus; version: number };
  /** The status after the change (`expected.status` for a change that only patches fields). */
  status: JobStatus;
  /** `expected.version + 1`: every change, patch-only or not, invalidates every other change prepared on the same read. */
  version: number;
  updatedAt: string;
  patch: JobPatch;
  /** The job still needs the worker after the change ({@link needsWorker}): stores index unsettled jobs by it. */
  needsWorker: boolean;
};

/** A change the state machine does not allow (a bug: use cases only ask for legal moves). Never retryable. */
export class IllegalTransitionError extends AppError {
  readonly code = 'ILLEGAL_TRANSITION';
  readonly retryable = false;
  constructor(
    readonly jobId: string,
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`Illegal transition ${from} -> ${to} for job ${jobId}`);
  }
}

/**
 * Decides one change of `job`: moving to `to` (when given; only along TRANSITIONS) and setting `patch`, at `now`.
 * Pure: `job` is not touched. Throws IllegalTransitionError for a move the state machine does not allow; a change
 * without `to` is legal in every status (announcements, task bookkeeping, the destroy flag).
 *
 * @example
 * jobs.save(transition(job, { to: 'RUNNING', patch: { attempt }, now: clock.now() }));
 */
export const transition = (
  job: Pick<CloneJob, 'jobId' | 'status' | 'version' | 'createdAt' | 'announced' | 'cleanupPending'>,
  change: { to?: JobStatus | undefined; patch?: JobPatch; now: Date },
): JobChange => {
  const to = change.to ?? job.status;
  if (change.to !== undefined && !canTransition(job.status, change.to))
    throw new IllegalTransitionError(job.jobId, job.status, change.to);
  return {
    jobId: job.jobId,
    createdAt: job.createdAt,
    expected: { status: job.status, version: job.version },
    status: to,
    version: job.version + 1,
    updatedAt: change.now.toISOString(),
    patch: { ...change.patch },
    needsWorker: needsWorker({
      status: to,
      announced: change.patch && 'announced' in change.patch ? change.patch.announced : job.announced,
      cleanupPending:
        change.patch && 'cleanupPending' in change.patch ? change.patch.cleanupPending : job.cleanupPending,
    }),
  };
};

/** `stored` after `change`: what a store keeps (fields it holds beside the change, like `callbacks`, stay). */
export const applyChange = (stored: CloneJob, change: JobChange): CloneJob => {
  const next: CloneJob = {
    ...stored,
    ...change.patch,
    status: change.status,
    version: change.version,
    updatedAt: change.updatedAt,
  };
  for (const [field, value] of Object.entries(change.patch))
    if (value === undefined) delete next[field as keyof JobPatch];
  return next;
};
