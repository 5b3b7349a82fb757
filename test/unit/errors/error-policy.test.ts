import { describe, expect, it } from 'vitest';
import {
  SecretUnavailableError,
  ValidationError,
  VcenterFaultError,
  VcenterUnavailableError,
} from '#shared/errors/app-error';
import { SignatureError } from '#shared/errors/signed-request-errors';
import { toErrorResponse } from '#shared/http/error-response';
import { PoolDegradedError } from '#shared/pools/model/pool-errors';
import { GithubApiError } from '#shared/runners/model/github-api-error';

const answerOf = (err: unknown) => {
  const response = toErrorResponse(err);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
};

describe('Error policy: one mapping from code to answer', () => {
  it("answers a caller's mistake with its status, code, message and the fields to fix", () => {
    // Act
    const answer = answerOf(new ValidationError([{ field: 'count', message: 'too big' }]));
    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid request: count: too big',
          details: [{ field: 'count', message: 'too big' }],
        },
      },
    });
  });

  it('answers a refused signature with 401 and which header was wrong', () => {
    // Act
    const answer = answerOf(new SignatureError('SIGNATURE_STALE', 'x-instaclone-timestamp is outside the window'));
    // Assess
    expect(answer).toEqual({
      status: 401,
      body: { error: { code: 'SIGNATURE_STALE', message: 'x-instaclone-timestamp is outside the window' } },
    });
  });

  it('answers a degraded pool with 503 and when to come back', () => {
    // Act
    const answer = answerOf(new PoolDegradedError('linux', '2026-11-25T12:05:00.000Z', 'clones keep failing'));
    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ code: 'POOL_DEGRADED', message: expect.stringContaining('12:05') });
  });

  it('names a failed dependency by its code only, never by its message', () => {
    // Act
    const secret = answerOf(new SecretUnavailableError('GITHUB_WEBHOOK_SECRET: cannot read the secret', true));
    const github = answerOf(
      new GithubApiError('GITHUB_UNAVAILABLE', 'GitHub POST /x answered 502', { upstreamStatus: 502 }),
    );
    // Assess
    expect(secret).toEqual({
      status: 503,
      body: { error: { code: 'SECRET_UNAVAILABLE', message: 'Try again later' } },
    });
    expect(github).toEqual({
      status: 502,
      body: { error: { code: 'GITHUB_UNAVAILABLE', message: 'Try again later' } },
    });
  });

  it('names vCenter as the dependency that failed a claim, by code only', () => {
    // Act
    const fault = answerOf(new VcenterFaultError('InvalidLogin', 'user svc-instaclone refused', 'terminal'));
    const down = answerOf(new VcenterUnavailableError('connect ECONNREFUSED 10.0.0.5:443'));
    // Assess
    expect(fault).toEqual({ status: 502, body: { error: { code: 'VCENTER_FAULT', message: 'Try again later' } } });
    expect(down).toEqual({ status: 503, body: { error: { code: 'VCENTER_UNAVAILABLE', message: 'Try again later' } } });
  });

  it('answers anything unexpected with 500 INTERNAL, leaking no message', () => {
    // Act
    const bug = answerOf(new TypeError('cannot read properties of undefined (reading "token")'));
    // Assess
    expect(bug).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } });
  });
});
