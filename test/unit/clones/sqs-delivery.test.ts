import { describe, expect, it } from 'vitest';
import { parseCloneMessage, redeliveryDelaySeconds } from '#shared/clones/model/sqs-delivery';
import { TaskStillRunningError, VcenterFaultError } from '#shared/errors/app-error';

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
});

const parseError = (): unknown => {
  try {
    parseCloneMessage('m-3', '{');
  } catch (err) {
    return err;
  }
  return undefined;
};
