import { describe, expect, it } from 'vitest';
import {
  type CloneJob,
  canTransition,
  isCloneFinished,
  isTerminal,
  JOB_STATUSES,
  toJobView,
} from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';

describe('Domain: job state machine', () => {
  it('has no way out of FAILED and DESTROYED', () => {
    // Act
    const terminal = JOB_STATUSES.filter(isTerminal);
    // Assess
    expect(terminal).toEqual(['FAILED', 'DESTROYED']);
    for (const from of terminal) for (const to of JOB_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it('treats every status after RUNNING as a finished clone', () => {
    // Act
    const finished = JOB_STATUSES.filter(isCloneFinished);
    // Assess
    expect(finished).toEqual(['SUCCEEDED', 'FAILED', 'DESTROYING', 'DESTROYED']);
  });
});

describe('Domain: the API view of a job', () => {
  const job: CloneJob = {
    jobId: 'job-v-1',
    status: 'SUCCEEDED',
    version: 4,
    request: CloneRequestSchema.parse({
      source: { path: '/DC0/vm/DC0_H0_VM0' },
      callbackUrl: 'https://ci.example.com/h',
    }),
    vmName: 'instaclone-job-v-1',
    announced: 'SUCCEEDED',
    attempt: { until: '2026-11-25T12:01:00.000Z' },
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:00:01.000Z',
    callbacks: {
      succeeded: {
        state: 'failed',
        url: 'https://ci.example.com/h',
        attempts: 4,
        status: 503,
        reason: 'answered 503',
        at: '2026-11-25T12:00:20.000Z',
        deliveryId: 'ev-1:SUCCEEDED',
      },
    },
  };

  it('shows the callback outcomes per event and leaves the bookkeeping out', () => {
    // Act
    const view = toJobView(job);
    // Assess
    expect(view.callbacks).toEqual(job.callbacks);
    expect(view).not.toHaveProperty('version');
    expect(view).not.toHaveProperty('announced');
    expect(view).not.toHaveProperty('attempt');
  });
});
