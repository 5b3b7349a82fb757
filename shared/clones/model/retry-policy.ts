import type { AppErrorCode } from '../../errors/app-error.js';
import type { CloneJob, JobErrorCause } from './clone-job.js';
import { DEFAULT_TIMEOUT_MINUTES } from './clone-request.js';

/**
 * How a clone job is retried. A failed attempt that may succeed later (vCenter unreachable, a busy host, an answer
 * that is not SOAP) is retried after a short, growing wait, within a budget of attempts and always within the
 * job's deadline; then the job ends FAILED with `RETRIES_EXHAUSTED` or `DEADLINE_EXCEEDED` and the last error.
 */
export type RetryPolicy = {
  /** Attempts per job, the first one included. */
  readonly maxAttempts: number;
  /** Wait after the first failed attempt; it doubles with each further one. */
  readonly firstDelaySeconds: number;
  /** The longest wait between two attempts. */
  readonly maxDelaySeconds: number;
  /** Each wait is spread by up to this share (per job and attempt), so jobs that failed together do not retry together. */
  readonly jitter: number;
};

/** The service's policy: 8 attempts, waits of 2, 4, 8, 16, 32, 60 and 60 s (±20 %): about 3 minutes in all. */
export const RETRY_POLICY: RetryPolicy = { maxAttempts: 8, firstDelaySeconds: 2, maxDelaySeconds: 60, jitter: 0.2 };

/** The job's deadline in epoch ms: its own `deadlineAt`, else `createdAt` + the request's (or default) minutes. */
export const deadlineOf = (job: Pick<CloneJob, 'deadlineAt' | 'createdAt' | 'request'>): number =>
  job.deadlineAt !== undefined
    ? Date.parse(job.deadlineAt)
    : Date.parse(job.createdAt) + (job.request.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000;

/** `deadlineAt` of a job created `now` for `request`. */
export const deadlineFor = (request: CloneJob['request'], now: Date): string =>
  new Date(now.getTime() + (request.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000).toISOString();

/** A number in [0, 1) that is a pure function of its input (FNV-1a): jitter without ambient randomness. */
const spread = (seed: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32;
};

/**
 * Seconds to wait after failed attempt `attempt` (1-based) of job `jobId`: 2, 4, 8, 16, 32, 60, 60 (±20 %).
 *
 * @example
 * backoffSeconds('job-1', 1); // 2 (1.6 to 2.4, rounded)
 */
export const backoffSeconds = (jobId: string, attempt: number, policy: RetryPolicy = RETRY_POLICY): number => {
  const { firstDelaySeconds, maxDelaySeconds, jitter } = policy;
  const base = Math.min(maxDelaySeconds, firstDelaySeconds * 2 ** Math.max(0, attempt - 1));
  const factor = 1 - jitter + 2 * jitter * spread(`${jobId}#${attempt}`);
  return Math.max(1, Math.round(base * factor));
};

/** What to do after a failed attempt that may succeed later. */
export type RetryDecision =
  | { kind: 'retry'; delaySeconds: number; nextAttemptAt: string }
  | { kind: 'give-up'; code: 'RETRIES_EXHAUSTED' | 'DEADLINE_EXCEEDED'; reason: string };

/**
 * Decides after a retryable failure of the job's current attempt (`attempts`, 1 when absent): retry after the
 * backoff, or give up when the budget is spent or the next attempt could not start before the deadline.
 */
export const decideRetry = (
  job: Pick<CloneJob, 'jobId' | 'attempts' | 'deadlineAt' | 'createdAt' | 'request'>,
  now: Date,
  policy: RetryPolicy = RETRY_POLICY,
): RetryDecision => {
  const attempts = job.attempts ?? 1;
  if (attempts >= policy.maxAttempts)
    return { kind: 'give-up', code: 'RETRIES_EXHAUSTED', reason: `gave up after ${attempts} attempts` };
  const delaySeconds = backoffSeconds(job.jobId, attempts, policy);
  const next = now.getTime() + delaySeconds * 1000;
  if (next >= deadlineOf(job))
    return {
      kind: 'give-up',
      code: 'DEADLINE_EXCEEDED',
      reason: `attempt ${attempts + 1} could not start before the deadline`,
    };
  return { kind: 'retry', delaySeconds, nextAttemptAt: new Date(next).toISOString() };
};

/** Why a job that is not finished must end now rather than be worked on, if it must. */
export const overdue = (
  job: Pick<CloneJob, 'attempts' | 'deadlineAt' | 'createdAt' | 'request'>,
  now: Date,
  policy: RetryPolicy = RETRY_POLICY,
): 'DEADLINE_EXCEEDED' | 'RETRIES_EXHAUSTED' | undefined => {
  if (now.getTime() >= deadlineOf(job)) return 'DEADLINE_EXCEEDED';
  if ((job.attempts ?? 0) > policy.maxAttempts) return 'RETRIES_EXHAUSTED';
  return undefined;
};

/** Why a job ends on its own: its deadline passed, or its attempts are spent. */
export type GiveUpCode = Extract<AppErrorCode, 'DEADLINE_EXCEEDED' | 'RETRIES_EXHAUSTED'>;

const describeCause = (cause: JobErrorCause | undefined): string =>
  cause ? `; last error: ${cause.code}${cause.fault ? ` ${cause.fault}` : ''}` : '';

/**
 * The fields that end an unfinished job FAILED with `code` (design §13): the error says why in words (`reason`: what
 * the job was waiting for), its cause is the last error (`last`, else the one recorded), the retry is off, and a
 * RUNNING job is marked for clean-up, since a clone may exist for it.
 */
export const givingUp = (
  job: Pick<CloneJob, 'status' | 'lastError' | 'deadlineAt' | 'request'>,
  ending: { code: GiveUpCode; reason: string; now: Date; last?: JobErrorCause },
): Pick<CloneJob, 'error' | 'lastError' | 'nextAttemptAt' | 'attempt' | 'cleanupPending'> => {
  const { code, reason, last } = ending;
  const recorded = job.lastError && {
    code: job.lastError.code,
    ...(job.lastError.fault !== undefined && { fault: job.lastError.fault }),
    message: job.lastError.message,
  };
  const cause = last ?? recorded;
  const minutes = job.request.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
  const head =
    code === 'DEADLINE_EXCEEDED'
      ? `The job did not finish within its deadline of ${minutes} minute${minutes === 1 ? '' : 's'} (${job.deadlineAt ?? 'counted from its request'})`
      : 'The job spent its retry budget';
  return {
    error: { code, message: `${head}: ${reason}${describeCause(cause)}`, retryable: false, ...(cause && { cause }) },
    ...(last && { lastError: { ...last, at: ending.now.toISOString() } }),
    nextAttemptAt: undefined,
    attempt: undefined,
    ...(job.status === 'RUNNING' && { cleanupPending: true }),
  };
};

/** What an unfinished job was waiting for, in words, for the message of its ending. */
export const waitingFor = (job: Pick<CloneJob, 'status' | 'vm' | 'task' | 'nextAttemptAt'>): string =>
  job.status === 'QUEUED'
    ? 'it was still queued'
    : job.vm
      ? 'its guest had not reported a new IP address'
      : job.task
        ? `its clone task ${job.task.moref} was still running`
        : job.nextAttemptAt
          ? 'it was waiting to retry'
          : 'its clone had not started';
