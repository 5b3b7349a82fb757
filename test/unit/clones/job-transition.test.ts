import { describe, expect, it } from 'vitest';
import { type CloneJob, JOB_STATUSES, type JobStatus } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { applyChange, IllegalTransitionError, transition } from '#shared/clones/model/job-transition';

const now = new Date('2026-11-25T12:00:05.000Z');
const jobIn = (status: JobStatus): CloneJob => ({
  jobId: 'job-t-1',
  status,
  version: 7,
  request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/DC0_H0_VM0' } }),
  vmName: 'instaclone-job-t-1',
  task: { moref: 'task-9' },
  createdAt: '2026-11-25T12:00:00.000Z',
  updatedAt: '2026-11-25T12:00:01.000Z',
});

/** Written out rather than read from TRANSITIONS, so a change to the table has to change this test too. */
const LEGAL = new Set([
  'QUEUED->RUNNING',
  'QUEUED->FAILED',
  'QUEUED->DESTROYED',
  'RUNNING->SUCCEEDED',
  'RUNNING->FAILED',
  'RUNNING->DESTROYING',
  'SUCCEEDED->DESTROYING',
  'DESTROYING->DESTROYED',
]);
const pairs = JOB_STATUSES.flatMap((from) => JOB_STATUSES.map((to) => [from, to] as const));
const legal = pairs.filter(([from, to]) => LEGAL.has(`${from}->${to}`));
const illegal = pairs.filter(([from, to]) => !LEGAL.has(`${from}->${to}`));

describe('Domain: job transitions', () => {
  it('knows all 36 moves: 8 legal, 28 illegal', () => {
    // Assess
    expect([legal.length, illegal.length]).toEqual([8, 28]);
  });

  it.each(legal)('moves %s -> %s with the next version, the time and the patch', (from, to) => {
    // Act
    const change = transition(jobIn(from), { to, patch: { readyAt: now.toISOString() }, now });
    // Assess
    expect(change).toEqual({
      jobId: 'job-t-1',
      createdAt: '2026-11-25T12:00:00.000Z',
      expected: { status: from, version: 7 },
      status: to,
      version: 8,
      updatedAt: now.toISOString(),
      patch: { readyAt: now.toISOString() },
      // The new status is not announced yet.
      needsWorker: true,
    });
  });

  it.each([
    ['an announced SUCCEEDED job', { ...jobIn('SUCCEEDED'), announced: 'SUCCEEDED' }, {}, false],
    ['the announcement of a SUCCEEDED job', jobIn('SUCCEEDED'), { announced: 'SUCCEEDED' }, false],
    [
      'an announced FAILED job with a clone to destroy',
      { ...jobIn('FAILED'), announced: 'FAILED' },
      { cleanupPending: true },
      true,
    ],
    [
      'the clean-up of an announced FAILED job',
      { ...jobIn('FAILED'), announced: 'FAILED', cleanupPending: true },
      { cleanupPending: undefined },
      false,
    ],
    ['an announced RUNNING job', { ...jobIn('RUNNING'), announced: 'RUNNING' as const }, {}, true],
    ['an announced DESTROYING job', { ...jobIn('DESTROYING'), announced: 'DESTROYING' as const }, {}, true],
  ] as const)('says whether the job still needs the worker after the change: %s', (_, job, patch, expected) => {
    // Act
    const change = transition(job as CloneJob, { patch, now });
    // Assess
    expect(change.needsWorker).toBe(expected);
  });

  it.each(illegal)('refuses %s -> %s with IllegalTransitionError', (from, to) => {
    // Act
    const attempt = () => transition(jobIn(from), { to, now });
    // Assess
    expect(attempt).toThrow(IllegalTransitionError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION', retryable: false, from, to }));
  });

  it.each(JOB_STATUSES)('patches a %s job without moving it, still on the next version', (status) => {
    // Act
    const change = transition(jobIn(status), { patch: { announced: status }, now });
    // Assess
    expect(change).toMatchObject({
      expected: { status, version: 7 },
      status,
      version: 8,
      patch: { announced: status },
    });
  });

  it('leaves the job it decided on untouched', () => {
    // Prepare
    const job = jobIn('RUNNING');
    const before = structuredClone(job);
    // Act
    transition(job, { to: 'SUCCEEDED', patch: { task: undefined }, now });
    // Assess
    expect(job).toEqual(before);
  });

  it('applies a change: new status and version, patched fields set, fields patched to undefined removed', () => {
    // Prepare
    const stored = { ...jobIn('RUNNING'), callbacks: {} };
    const change = transition(stored, { to: 'SUCCEEDED', patch: { task: undefined, readyAt: 'then' }, now });
    // Act
    const next = applyChange(stored, change);
    // Assess
    expect(next).toMatchObject({ status: 'SUCCEEDED', version: 8, readyAt: 'then', updatedAt: now.toISOString() });
    expect(next).not.toHaveProperty('task');
    expect(next.callbacks).toEqual({});
  });
});
