import { describe, expect, it } from 'vitest';
import { handBackOf, parseCloneMessage, redeliveryDelaySeconds } from '#shared/clones/model/sqs-delivery';
import { RetryScheduledError, TaskStillRunningError, VcenterFaultError } from '#shared/errors/app-error';

describe('Domain: SQS delivery of clone messages', () => {
  it('parses a clone message and defaults its action', () => {
    // Act
    const message = parseCloneMessage('m-1', '{"version":"1","jobId":"0b6f5c1e-aaaa"}');
    // Assess
    expect(message).toEqual({ version: '1', jobId: '0b6f5c1e-aaaa', action: 'clone' });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a wrong version', '{"version":"2","jobId":"0b6f5c1e-aaaa"}', /version/],
    ['a job id with a path in it', '{"version":"1","jobId":"../../etc/passwd"}', /jobId/],
  ])('refuses %s as a malformed message that is never retried', (_label, body, why) => {
    // Act
    const attempt = () => parseCloneMessage('m-2', body);
    // Assess
    expect(attempt).toThrow(why);
    expect(attempt).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE', retryable: false }));
  });

  it('brings a busy task back in seconds, a malformed message at once, and leaves other failures to the queue', () => {
    // Assess
    expect(redeliveryDelaySeconds(new TaskStillRunningError('j', 't'))).toBe(5);
    expect(redeliveryDelaySeconds(parseError())).toBe(0);
    expect(redeliveryDelaySeconds(new VcenterFaultError('TaskInProgress', 'busy', 'retryable'))).toBeUndefined();
    expect(redeliveryDelaySeconds(new Error('boom'))).toBeUndefined();
  });

  it('hands a failed attempt back after its own backoff, by visibility', () => {
    // Act
    const back = handBackOf(new RetryScheduledError('j', 8, { cause: new Error('x') }), 2, 5);
    // Assess
    expect(back).toEqual({ kind: 'visibility', delaySeconds: 8 });
  });

  it('renews a message one receive short of the DLQ when its job is only pacing itself, never a malformed one', () => {
    // Act
    const retry = handBackOf(new RetryScheduledError('j', 4, { cause: new Error('x') }), 4, 5);
    const busy = handBackOf(new TaskStillRunningError('j', 't'), 5, 5);
    const malformed = handBackOf(parseError(), 4, 5);
    const unknown = handBackOf(new Error('boom'), 4, 5);
    // Assess
    expect(retry).toEqual({ kind: 'renew', delaySeconds: 4 });
    expect(busy).toEqual({ kind: 'renew', delaySeconds: 5 });
    expect(malformed).toEqual({ kind: 'visibility', delaySeconds: 0 });
    expect(unknown).toEqual({ kind: 'timeout' });
  });
});

const parseError = (): unknown => {
  try {
    parseCloneMessage('m-3', '{');
  } catch (err) {
    return err;
  }
  return undefined;
};
