/**
 * Every error the service raises on purpose, features and integrations included. `code` drives all dispatch
 * (HTTP status, redelivery, log level: see `policyFor` in error-policy.ts); nothing dispatches on `name`, which
 * minifiers rename.
 */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'INVALID_CURSOR'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'JOB_NOT_FOUND'
  | 'STALE_TRANSITION'
  | 'ILLEGAL_TRANSITION'
  | 'IDEMPOTENCY_CONFLICT'
  | 'VCENTER_FAULT'
  | 'VCENTER_UNAVAILABLE'
  | 'TASK_STILL_RUNNING'
  | 'WAITING_FOR_GUEST'
  | 'ATTEMPT_IN_PROGRESS'
  | 'POOL_NOT_FOUND'
  | 'NOT_IN_POOL'
  | 'NOT_CLAIMED'
  | 'POOL_DEGRADED'
  | 'MALFORMED_MESSAGE'
  | 'CONFIG_INVALID'
  | 'GUEST_CONFIG_FAILED'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_STALE'
  | 'BODY_TOO_LARGE'
  | 'SECRET_UNAVAILABLE'
  | 'GITHUB_NOT_FOUND'
  | 'GITHUB_REJECTED'
  | 'GITHUB_RATE_LIMITED'
  | 'GITHUB_UNAVAILABLE'
  | 'TARGET_REFUSED'
  | 'TARGET_UNREACHABLE'
  | 'UNAUTHORIZED'
  | 'ISSUER_UNAVAILABLE'
  | 'ACCESS_DENIED'
  | 'QUOTA_EXCEEDED'
  | 'RETRY_SCHEDULED'
  | 'RETRIES_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'SPEC_NOT_APPLIED'
  | 'MAC_IN_USE'
  | 'MAC_RANGE_EXHAUSTED';

/** One problem with one field of an input, e.g. `{ field: 'nics.0.mac', message: 'Invalid MAC' }`. */
export type FieldIssue = { field: string; message: string };

/** `cause` as usual, plus the HTTP status of the remote answer behind the error, when there was one. */
export type AppErrorOptions = ErrorOptions & { upstreamStatus?: number };

/**
 * The one base of every deliberate error. Feature errors extend it in their feature's `model/`; errors of a
 * library (the vim25 client's VimFaultError) are translated into one of these once, at the adapter boundary.
 */
export abstract class AppError extends Error {
  abstract readonly code: AppErrorCode;
  /** True when the same input may succeed later (SQS should redeliver). */
  abstract readonly retryable: boolean;
  /** HTTP status of the remote answer that caused it (GitHub, a callback receiver), when there was one. */
  declare readonly upstreamStatus?: number;
  constructor(message: string, options?: AppErrorOptions) {
    const { upstreamStatus, ...errorOptions } = options ?? {};
    super(message, errorOptions);
    this.name = new.target.name;
    if (upstreamStatus !== undefined) this.upstreamStatus = upstreamStatus;
  }
}

/** The input broke its schema; `issues` names each field and what is wrong with it. */
export class ValidationError extends AppError {
  readonly code = 'VALIDATION_FAILED';
  readonly retryable = false;
  constructor(
    readonly issues: FieldIssue[],
    message = `Invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
  ) {
    super(message);
  }
}

/** The body is not JSON at all. */
export class InvalidJsonError extends AppError {
  readonly code = 'INVALID_JSON';
  readonly retryable = false;
  readonly issues: FieldIssue[] = [{ field: 'body', message: 'must be a JSON object' }];
}

/** A list cursor that this API did not issue, or issued for another filter; `issues` names `cursor`. */
export class InvalidCursorError extends AppError {
  readonly code = 'INVALID_CURSOR';
  readonly retryable = false;
  readonly issues: FieldIssue[];
  constructor(message: string) {
    super(`Invalid cursor: ${message}`);
    this.issues = [{ field: 'cursor', message }];
  }
}

/** The input is over one of the documented request limits (`clones/model/request-limits.ts`); `issues` names the field. */
export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly retryable = false;
  constructor(
    readonly issues: FieldIssue[],
    message = `Request too large: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
  ) {
    super(message);
  }
}

/** The body's Content-Type is not the one the route reads; `issues` names the header. */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly retryable = false;
  readonly issues: FieldIssue[];
  constructor(expected: string, given: string) {
    super(`Content-Type ${given} is not supported here: send ${expected}`);
    this.issues = [{ field: 'Content-Type', message: `must be ${expected}` }];
  }
}

export class JobNotFoundError extends AppError {
  readonly code = 'JOB_NOT_FOUND';
  readonly retryable = false;
  constructor(readonly jobId: string) {
    super(`No clone job with id ${jobId}`);
  }
}

/** Another delivery moved the job first; the caller reloads and re-decides. */
export class StaleTransitionError extends AppError {
  readonly code = 'STALE_TRANSITION';
  readonly retryable = true;
  constructor(
    readonly jobId: string,
    readonly expected: string,
  ) {
    super(`Job ${jobId} is no longer ${expected}`);
  }
}

/** The same Idempotency-Key came with a different body. */
export class IdempotencyConflictError extends AppError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
  readonly retryable = false;
}

/** How the worker must treat a vCenter fault (design §6). */
export type FaultClass = 'retryable' | 'reconcile' | 'terminal';

/** vCenter answered with a fault (SOAP fault or task error). */
export class VcenterFaultError extends AppError {
  readonly code = 'VCENTER_FAULT';
  readonly retryable: boolean;
  constructor(
    readonly faultType: string,
    message: string,
    readonly classification: FaultClass,
    readonly fields: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.retryable = classification === 'retryable';
  }
}

/**
 * vCenter could not be reached or answered something that is not SOAP. Worth a retry, except when only an
 * operator can fix it (an untrusted certificate); the message then names the fix.
 */
export class VcenterUnavailableError extends AppError {
  readonly code = 'VCENTER_UNAVAILABLE';
  readonly retryable: boolean;
  constructor(message: string, options?: AppErrorOptions & { retryable?: boolean }) {
    const { retryable = true, ...rest } = options ?? {};
    super(message, rest);
    this.retryable = retryable;
  }
}

/** The clone task outlived this invocation's deadline; the next delivery resumes waiting on it. */
export class TaskStillRunningError extends AppError {
  readonly code = 'TASK_STILL_RUNNING';
  readonly retryable = true;
  constructor(
    readonly jobId: string,
    readonly taskRef: string,
  ) {
    super(`Clone task ${taskRef} of job ${jobId} is still running`);
  }
}

/** The clone exists but its guest has not re-identified itself yet (`waitFor: ip`); the next delivery keeps waiting. */
export class WaitingForGuestError extends AppError {
  readonly code = 'WAITING_FOR_GUEST';
  readonly retryable = true;
  constructor(readonly jobId: string) {
    super(`Clone of job ${jobId} has not reported a new guest IP yet`);
  }
}

/** Another delivery of the same job is starting its clone right now; this one comes back later. */
export class AttemptInProgressError extends AppError {
  readonly code = 'ATTEMPT_IN_PROGRESS';
  readonly retryable = true;
  constructor(readonly jobId: string) {
    super(`Another delivery of job ${jobId} is starting its clone`);
  }
}

/** An SQS message that is not a clone message; it can never succeed. */
export class MalformedMessageError extends AppError {
  readonly code = 'MALFORMED_MESSAGE';
  readonly retryable = false;
}

/** Configuration (env, context) failed its schema; the message names every bad key. */
export class ConfigError extends AppError {
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
}

/** A value the clone needs at clone time (e.g. a GitHub JIT runner config) could not be obtained. */
export class GuestConfigError extends AppError {
  readonly code = 'GUEST_CONFIG_FAILED';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A secret the service needs (a webhook or signing secret, the GitHub App key) is not configured, empty or
 * could not be read. Retryable only when the read failed; a missing or empty secret needs an operator.
 */
export class SecretUnavailableError extends AppError {
  readonly code = 'SECRET_UNAVAILABLE';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: AppErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * An attempt of a clone job failed in a way that may pass, and the job waits `afterSeconds` for its next attempt
 * (recorded as `nextAttemptAt`). `cause` is the attempt's error.
 */
export class RetryScheduledError extends AppError {
  readonly code = 'RETRY_SCHEDULED';
  readonly retryable = true;
  constructor(
    readonly jobId: string,
    readonly afterSeconds: number,
    options: ErrorOptions,
  ) {
    super(`Job ${jobId} retries in ${afterSeconds} s`, options);
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
