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
