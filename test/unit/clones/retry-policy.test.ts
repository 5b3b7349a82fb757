import { describe, expect, it } from 'vitest';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { backoffSeconds, deadlineOf, decideRetry, overdue, RETRY_POLICY } from '#shared/clones/model/retry-policy';

const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' } });
const createdAt = '2026-11-25T12:00:00.000Z';
const job = { jobId: 'job-0001-aaaa', request, createdAt, deadlineAt: '2026-11-25T12:15:00.000Z' };
const at = (iso: string) => new Date(iso);

describe('Model: the retry policy', () => {
  it('waits seconds, doubling from 2 up to 60, spread by at most 20 % per job', () => {
    // Act
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffSeconds('job-0001-aaaa', attempt));
    const spread = Array.from({ length: 200 }, (_, i) => backoffSeconds(`job-${i}`, 5));
    // Assess
    const bases = [2, 4, 8, 16, 32, 60, 60];
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(Math.round((bases[i] ?? 0) * 0.8));
      expect(wait).toBeLessThanOrEqual(Math.round((bases[i] ?? 0) * 1.2));
    });
    expect(Math.min(...spread)).toBeLessThan(30);
    expect(Math.max(...spread)).toBeGreaterThan(34);
  });

  it('schedules the next attempt after the backoff while the budget and the deadline allow', () => {
    // Act
    const decision = decideRetry({ ...job, attempts: 1 }, at('2026-11-25T12:01:00.000Z'));
    // Assess
    expect(decision).toEqual({ kind: 'retry', delaySeconds: 2, nextAttemptAt: '2026-11-25T12:01:02.000Z' });
  });

  it('gives up with RETRIES_EXHAUSTED once the last attempt of the budget failed', () => {
    // Act
    const decision = decideRetry({ ...job, attempts: RETRY_POLICY.maxAttempts }, at('2026-11-25T12:01:00.000Z'));
    // Assess
    expect(decision).toEqual({ kind: 'give-up', code: 'RETRIES_EXHAUSTED', reason: 'gave up after 8 attempts' });
  });

  it('gives up with DEADLINE_EXCEEDED when the next attempt could not start before the deadline', () => {
    // Act
    const decision = decideRetry({ ...job, attempts: 2 }, at('2026-11-25T12:14:58.000Z'));
    // Assess
    expect(decision).toMatchObject({ kind: 'give-up', code: 'DEADLINE_EXCEEDED' });
  });

  it('counts the deadline from the request for jobs stored before deadlines existed', () => {
    // Act
    const defaulted = deadlineOf({ request, createdAt });
    const asked = deadlineOf({ request: { ...request, timeoutMinutes: 2 }, createdAt });
    // Assess
    expect(new Date(defaulted).toISOString()).toBe('2026-11-25T12:15:00.000Z');
    expect(new Date(asked).toISOString()).toBe('2026-11-25T12:02:00.000Z');
  });

  it('calls a job overdue from its deadline on, and not before', () => {
    // Act
    const before = overdue(job, at('2026-11-25T12:14:59.999Z'));
    const after = overdue(job, at('2026-11-25T12:15:00.000Z'));
    // Assess
    expect(before).toBeUndefined();
    expect(after).toBe('DEADLINE_EXCEEDED');
  });
});
