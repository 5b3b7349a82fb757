import type { AppErrorCode } from './app-error.js';

/**
 * How the service treats a failure of one code, everywhere: the HTTP status of an API answer and what the answer
 * may show, how soon the clone worker wants the message again, and how loudly it is logged.
 */
export type ErrorPolicy = {
  /** HTTP status of an API answer. */
  status: number;
  /**
   * What the answer shows: `all` (code, message, field details: the caller can act on them), `code` (the code and
   * "Try again later": a dependency of ours failed, its message is not the caller's business) or `nothing` (500
   * INTERNAL: a bug or a broken dependency the caller cannot help; the log has it).
   */
  disclose: 'all' | 'code' | 'nothing';
  /**
   * Seconds until SQS should deliver a failed clone message again, when the queue's own visibility timeout (6x the
   * worker timeout) is the wrong wait. Whether the worker retries at all is the error's own `retryable`.
   */
  redeliverAfterSeconds?: number;
  /** `info`/`warn`: expected (a caller's mistake, a refusal, a busy pool), logged without a stack; `error`: with it. */
  log: 'info' | 'warn' | 'error';
};

const answer = (status: number, log: ErrorPolicy['log'] = 'info'): ErrorPolicy => ({ status, disclose: 'all', log });
/** A dependency (vCenter, GitHub, a secret, a callback target) failed: the caller may see which, not why. */
const dependencyFailed = (status: number): ErrorPolicy => ({ status, disclose: 'code', log: 'error' });
const internal: ErrorPolicy = { status: 500, disclose: 'nothing', log: 'error' };
/** The worker's own "not yet": the task, the guest or another delivery is still busy; look again in seconds. */
const notYet: ErrorPolicy = { ...internal, redeliverAfterSeconds: 5, log: 'info' };

/**
 * The one mapping from error code to outcome; exhaustive, so a new code cannot be forgotten.
 *
 * @example
 * policyFor('POOL_DEGRADED'); // { status: 503, disclose: 'all', log: 'warn' }
 */
export const policyFor = (code: AppErrorCode): ErrorPolicy => {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_JSON':
    case 'INVALID_CURSOR':
      return answer(400);
    case 'UNSUPPORTED_MEDIA_TYPE':
      return answer(415);
    case 'SIGNATURE_MISSING':
    case 'SIGNATURE_INVALID':
    case 'SIGNATURE_STALE':
    case 'UNAUTHORIZED':
      return answer(401, 'warn');
    case 'ACCESS_DENIED':
      return answer(403, 'warn');
    case 'QUOTA_EXCEEDED':
      return answer(429, 'info');
    case 'JOB_NOT_FOUND':
    case 'POOL_NOT_FOUND':
    case 'NOT_IN_POOL':
      return answer(404);
    case 'IDEMPOTENCY_CONFLICT':
    case 'STALE_TRANSITION':
    case 'NOT_CLAIMED':
    case 'MAC_IN_USE':
    case 'MAC_RANGE_EXHAUSTED':
      return answer(409);
    case 'BODY_TOO_LARGE':
      return answer(413, 'warn');
    case 'PAYLOAD_TOO_LARGE':
      return answer(413);
    case 'POOL_DEGRADED':
      return answer(503, 'warn');
    case 'SECRET_UNAVAILABLE':
    case 'ISSUER_UNAVAILABLE':
    case 'VCENTER_UNAVAILABLE':
      return dependencyFailed(503);
    case 'VCENTER_FAULT':
      // Only the pool claim answers a caller with vCenter's word (the worker retries on its own): name it, hide why.
      return dependencyFailed(502);
    case 'GITHUB_NOT_FOUND':
    case 'GITHUB_REJECTED':
    case 'GITHUB_RATE_LIMITED':
    case 'GITHUB_UNAVAILABLE':
    case 'TARGET_REFUSED':
    case 'TARGET_UNREACHABLE':
      return dependencyFailed(502);
    case 'TASK_STILL_RUNNING':
    case 'WAITING_FOR_GUEST':
    case 'ATTEMPT_IN_PROGRESS':
      return notYet;
    case 'RETRY_SCHEDULED':
      // The delay is the job's own backoff, carried by the error (RetryScheduledError.afterSeconds).
      return { ...notYet };
    case 'RETRIES_EXHAUSTED':
    case 'DEADLINE_EXCEEDED':
    case 'SPEC_NOT_APPLIED':
      // Endings of a job, recorded on it; never thrown at a caller.
      return internal;
    case 'MALFORMED_MESSAGE':
      // It can never succeed: round again at once, so it reaches the DLQ after maxReceiveCount without a long loop.
      return { ...internal, redeliverAfterSeconds: 0 };
    case 'GUEST_CONFIG_FAILED':
    case 'CONFIG_INVALID':
    case 'ILLEGAL_TRANSITION':
      return internal;
    default:
      return code satisfies never;
  }
};
