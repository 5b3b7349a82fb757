import { isAppError, MalformedMessageError, RetryScheduledError } from '../../errors/app-error.js';
import { policyFor } from '../../errors/error-policy.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import { type CloneMessage, CloneMessageSchema } from './clone-message.js';

/**
 * Parses one SQS body as a clone message. Rejects with MalformedMessageError (never retryable) naming what is
 * wrong, so the record goes to the DLQ instead of looping.
 */
export const parseCloneMessage = (messageId: string, raw: string): CloneMessage => {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new MalformedMessageError(`Message ${messageId} is not JSON`);
  }
  const parsed = CloneMessageSchema.safeParse(body);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error).map((i) => `${i.field}: ${i.message}`);
    throw new MalformedMessageError(`Message ${messageId} is not a clone message (${issues.join('; ')})`);
  }
  return parsed.data;
};

/**
 * How soon SQS should deliver a failed record again, as the error's code says (`policyFor`), or undefined for the
 * queue's own visibility timeout: a busy task or guest is worth another look in seconds, and a malformed message
 * can never succeed, so it goes round at once and reaches the DLQ after maxReceiveCount without a long loop.
 */
export const redeliveryDelaySeconds = (err: unknown): number | undefined => {
  // A scheduled retry waits the job's own backoff (its `nextAttemptAt`), not a delay per code.
  if (err instanceof RetryScheduledError) return err.afterSeconds;
  return isAppError(err) ? policyFor(err.code).redeliverAfterSeconds : undefined;
};

/** Codes of a job that is fine but not done: its own backoff or a "look again in seconds". */
const JOB_PACED = new Set(['RETRY_SCHEDULED', 'TASK_STILL_RUNNING', 'WAITING_FOR_GUEST', 'ATTEMPT_IN_PROGRESS']);

/** SQS's longest DelaySeconds. */
const MAX_DELAY_SECONDS = 900;

/**
 * How a record whose handling failed goes back to the queue:
 * - `visibility`: ChangeMessageVisibility to `delaySeconds` (the error's own pace: a job's backoff, a "not yet");
 * - `renew`: the job paces itself but this message is one receive short of the dead-letter queue: send a fresh copy
 *   delayed by `delaySeconds` and acknowledge this one, so only deliveries that crash or time out ever count
 *   towards the DLQ (the job's deadline and retry budget bound how long it goes round);
 * - `timeout`: leave it to the queue's visibility timeout (an error with no pace of its own).
 */
export type HandBack = { kind: 'visibility' | 'renew'; delaySeconds: number } | { kind: 'timeout' };

export const handBackOf = (err: unknown, receiveCount: number, maxReceiveCount: number): HandBack => {
  const delaySeconds = redeliveryDelaySeconds(err);
  if (delaySeconds === undefined) return { kind: 'timeout' };
  const paced = isAppError(err) && JOB_PACED.has(err.code);
  if (paced && receiveCount >= maxReceiveCount - 1)
    return { kind: 'renew', delaySeconds: Math.min(delaySeconds, MAX_DELAY_SECONDS) };
  return { kind: 'visibility', delaySeconds };
};
