import { createHmac } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  signTimestamped,
  verifyGithubSignature,
  verifySlackSignature,
  verifyTimestamped,
} from '#shared/http/hmac-signatures';

const now = new Date('2026-11-25T12:00:00Z');
const seconds = String(now.getTime() / 1000);
const body = '{"source":{"path":"/DC0/vm/DC0_H0_VM0"}}';

describe('HMAC signatures', () => {
  it('compares equal strings as equal and strings of other lengths as different', () => {
    // Act + Assess
    expect(constantTimeEqual('sha256=abc', 'sha256=abc')).toBe(true);
    expect(constantTimeEqual('sha256=abd', 'sha256=abc')).toBe(false);
    expect(constantTimeEqual('sha256=ab', 'sha256=abc')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });

  it('verifies a generic trigger it signed itself', () => {
    // Prepare
    const headers = signTimestamped('s3cret-s3cret-s3cret', body, now);
    // Act + Assess
    expect(() =>
      verifyTimestamped(
        's3cret-s3cret-s3cret',
        body,
        { signature: headers['x-instaclone-signature'], timestamp: headers['x-instaclone-timestamp'] },
        now,
      ),
    ).not.toThrow();
    expect(headers['x-instaclone-signature']).toBe(
      `sha256=${createHmac('sha256', 's3cret-s3cret-s3cret').update(`${seconds}.${body}`).digest('hex')}`,
    );
  });

  it.each([
    ['a body changed after signing', `${body} `, 0, 'SIGNATURE_INVALID'],
    ['a timestamp six minutes old', body, -360, 'SIGNATURE_STALE'],
    ['a timestamp six minutes ahead', body, 360, 'SIGNATURE_STALE'],
  ])('refuses a generic trigger with %s', (_label, received, skewSeconds, code) => {
    // Prepare
    const headers = signTimestamped('k'.repeat(20), body, new Date(now.getTime() + skewSeconds * 1000));
    // Act
    const verify = () =>
      verifyTimestamped(
        'k'.repeat(20),
        received,
        { signature: headers['x-instaclone-signature'], timestamp: headers['x-instaclone-timestamp'] },
        now,
      );
    // Assess
    expect(verify).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a generic trigger without a signature header', () => {
    // Act + Assess
    expect(() => verifyTimestamped('k', body, { signature: undefined, timestamp: seconds }, now)).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_MISSING', retryable: false }),
    );
  });

  it("verifies Slack's v0 signature over v0:timestamp:body and refuses a stale one", () => {
    // Prepare: the example from Slack's documentation, shifted to our clock.
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const form = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070';
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${seconds}:${form}`).digest('hex')}`;
    // Act + Assess
    expect(() => verifySlackSignature(secret, form, { signature, timestamp: seconds }, now)).not.toThrow();
    expect(() =>
      verifySlackSignature(secret, form, { signature, timestamp: seconds }, new Date(now.getTime() + 301_000)),
    ).toThrow(expect.objectContaining({ code: 'SIGNATURE_STALE' }));
    expect(() => verifySlackSignature('other', form, { signature, timestamp: seconds }, now)).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
  });

  it("verifies GitHub's X-Hub-Signature-256 and refuses a wrong or missing one", async () => {
    // Prepare
    const payload = '{"zen":"Design for failure."}';
    const signature = await sign("It's a Secret to Everybody", payload);
    // Act + Assess
    await expect(verifyGithubSignature("It's a Secret to Everybody", payload, signature)).resolves.toBeUndefined();
    await expect(verifyGithubSignature('wrong', payload, signature)).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    await expect(verifyGithubSignature('wrong', payload, undefined)).rejects.toMatchObject({
      code: 'SIGNATURE_MISSING',
    });
  });
});
