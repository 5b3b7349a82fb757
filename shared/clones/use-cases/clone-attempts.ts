import { isAppError, RetryScheduledError } from '../../errors/app-error.js';
import { type CloneJob, isCloneFinished, type JobErrorCause } from '../model/clone-job.js';
import type { JobPatch } from '../model/job-transition.js';
import {
  deadlineFor,
  decideRetry,
  type GiveUpCode,
  givingUp,
  RETRY_POLICY,
  type RetryPolicy,
} from '../model/retry-policy.js';
import { type JobWriterDeps, makeJobWriter } from './job-announcer.js';

export type CloneAttemptsDeps = JobWriterDeps & {
  /** RETRY_POLICY unless given (tests shorten it). */
  retryPolicy?: RetryPolicy | undefined;
};

/**
 * How long a delivery holds the right to start a clone. It only has to cover claim → InstantClone_Task answered
 * → task recorded (a few round trips; vCenter answers the call with a task moref at once), and it is what a
 * crashed worker's job waits before another delivery takes over, so it is short.
 */
export const ATTEMPT_LEASE_MS = 20_000;

/** An error as one attempt's cause: AppErrors keep their code and fault type; anything else is `INTERNAL`. */
export const causeOf = (err: unknown): JobErrorCause => {
  if (isAppError(err)) {
    const fault = (err as { faultType?: unknown }).faultType;
    return { code: err.code, ...(typeof fault === 'string' && { fault }), message: err.message };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
};

/**
 * The attempt bookkeeping of clone jobs (design §13): which attempt runs, what the last one failed with, when the next
 * one starts, and the end of a job whose deadline passed or whose attempts are spent.
 */
export const makeCloneAttempts = (deps: CloneAttemptsDeps) => {
  const { jobs, clock, retryPolicy = RETRY_POLICY } = deps;
  const { update, announce, finish } = makeJobWriter(deps);

  /** Ends an unfinished job FAILED with `code` (see `givingUp`) and publishes `Clone Failed`. */
  const giveUp = (job: CloneJob, code: GiveUpCode, reason: string, last?: JobErrorCause): Promise<CloneJob> =>
    finish(job, 'FAILED', givingUp(job, { code, reason, now: clock.now(), ...(last && { last }) }));

  /**
   * Starts this delivery's attempt: QUEUED → RUNNING as attempt 1, or the next attempt of a RUNNING job whose
   * retry is due; `lease` (the right to start a clone) and, for QUEUED → RUNNING, `taken` (the moments the worker took
   * the job) are written in the same conditional write. A delivery that
   * continues an attempt (a task or a guest still being waited for) writes only the lease, if it needs one.
   */
  const begin = (job: CloneJob, lease: CloneJob['attempt'] | undefined, taken: JobPatch = {}): Promise<CloneJob> => {
    if (job.status === 'QUEUED') {
      const deadlineAt = job.deadlineAt ?? deadlineFor(job.request, new Date(job.createdAt));
      return update(job, 'RUNNING', { attempts: 1, deadlineAt, ...taken, ...(lease && { attempt: lease }) });
    }
    if (job.nextAttemptAt !== undefined)
      return update(job, undefined, {
        attempts: (job.attempts ?? 1) + 1,
        nextAttemptAt: undefined,
        ...(lease && { attempt: lease }),
      });
    return lease ? update(job, undefined, { attempt: lease }) : Promise.resolve(job);
  };

  /**
   * After an attempt failed with an error that may pass: records it as `lastError` and schedules the next attempt,
   * then rejects with RetryScheduledError (its `afterSeconds` is the backoff); or, with the budget spent or the
   * deadline too near, ends the job (see giveUp). `patch` is written with the retry (e.g. forgetting a failed task).
   * Resolves with the job as stored (and announced) when it is finished already.
   */
  const fail = async (jobId: string, err: unknown, patch: JobPatch = {}): Promise<CloneJob | undefined> => {
    const job = await jobs.get(jobId);
    if (!job || isCloneFinished(job.status)) return job && announce(job);
    const now = clock.now();
    const last = causeOf(err);
    const decision = decideRetry(job, now, retryPolicy);
    if (decision.kind === 'give-up') return giveUp(job, decision.code, decision.reason, last);
    await update(job, undefined, {
      ...patch,
      lastError: { ...last, at: now.toISOString() },
      nextAttemptAt: decision.nextAttemptAt,
      attempt: undefined,
    });
    throw new RetryScheduledError(jobId, decision.delaySeconds, { cause: err });
  };

  return { begin, fail, giveUp };
};

export type CloneAttempts = ReturnType<typeof makeCloneAttempts>;
