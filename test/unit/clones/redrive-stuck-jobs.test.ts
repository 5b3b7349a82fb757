import { describe, expect, it } from 'vitest';
import type { CloneJob, JobStatus } from '#shared/clones/model/clone-job';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeRedriveStuckJobs } from '#shared/clones/use-cases/redrive-stuck-jobs';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';

const job = (jobId: string, status: JobStatus, updatedAt: string, announced?: JobStatus): CloneJob => ({
  ...(announced && { announced }),
  jobId,
  status,
  version: 1,
  request: CloneRequestSchema.parse({ source: { moref: 'vm-1' } }),
  vmName: `instaclone-${jobId}`,
  createdAt: updatedAt,
  updatedAt,
  deadlineAt: '2026-11-25T13:00:00.000Z',
});

describe('Use case: redriveStuckJobs', () => {
  it('re-enqueues unfinished and unannounced jobs older than the threshold and leaves the rest alone', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const sent: CloneMessageInput[] = [];
    await jobs.create(job('old-queued', 'QUEUED', '2026-11-25T11:00:00.000Z'));
    await jobs.create(job('old-running', 'RUNNING', '2026-11-25T11:00:00.000Z'));
    await jobs.create(job('fresh-queued', 'QUEUED', '2026-11-25T11:59:30.000Z'));
    await jobs.create(job('old-done', 'SUCCEEDED', '2026-11-25T11:00:00.000Z', 'SUCCEEDED'));
    await jobs.create(job('old-unannounced', 'SUCCEEDED', '2026-11-25T11:00:00.000Z'));
    await jobs.create(job('old-destroying', 'DESTROYING', '2026-11-25T11:00:00.000Z'));
    const redrive = makeRedriveStuckJobs({
      jobs,
      queue: { enqueue: async (m) => void sent.push(m) },
      clock: fixedClock(),
    });
    // Act
    const ids = await redrive({ olderThanMs: 5 * 60_000 });
    // Assess
    expect(ids.sort()).toEqual(['old-destroying', 'old-queued', 'old-running', 'old-unannounced']);
    expect(sent.find((m) => m.jobId === 'old-destroying')?.action).toBe('destroy');
    expect(sent.find((m) => m.jobId === 'old-unannounced')?.action).toBe('clone');
  });

  it('never re-drives a job past its deadline into another attempt: it ends it FAILED, then lets the worker announce it', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const sent: CloneMessageInput[] = [];
    await jobs.create({
      ...job('late-running', 'RUNNING', '2026-11-25T11:59:50.000Z'),
      deadlineAt: '2026-11-25T11:59:00.000Z',
      task: { moref: 'task-9' },
      lastError: { code: 'VCENTER_UNAVAILABLE', message: 'vCenter unreachable', at: '2026-11-25T11:58:00.000Z' },
    });
    const redrive = makeRedriveStuckJobs({
      jobs,
      queue: { enqueue: async (m) => void sent.push(m) },
      clock: fixedClock(),
    });
    // Act
    const ids = await redrive({ olderThanMs: 5 * 60_000 });
    // Assess
    expect(ids).toEqual(['late-running']);
    expect(await jobs.get('late-running')).toMatchObject({
      status: 'FAILED',
      cleanupPending: true,
      error: { code: 'DEADLINE_EXCEEDED', cause: { code: 'VCENTER_UNAVAILABLE', message: 'vCenter unreachable' } },
    });
    expect(sent).toEqual([{ version: '1', jobId: 'late-running', action: 'clone' }]);
  });

  it('leaves a job waiting for its scheduled retry alone, and re-drives a failed job with a clone to destroy', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const sent: CloneMessageInput[] = [];
    await jobs.create({
      ...job('backing-off', 'RUNNING', '2026-11-25T11:00:00.000Z'),
      nextAttemptAt: '2026-11-25T12:00:30.000Z',
    });
    await jobs.create({ ...job('leftover', 'FAILED', '2026-11-25T11:00:00.000Z', 'FAILED'), cleanupPending: true });
    const redrive = makeRedriveStuckJobs({
      jobs,
      queue: { enqueue: async (m) => void sent.push(m) },
      clock: fixedClock(),
    });
    // Act
    const ids = await redrive({ olderThanMs: 5 * 60_000 });
    // Assess
    expect(ids).toEqual(['leftover']);
  });

  it('re-drives a job waiting for its retry too when told every message is gone (a local restart: olderThanMs 0)', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const sent: CloneMessageInput[] = [];
    await jobs.create({
      ...job('backing-off', 'RUNNING', '2026-11-25T11:59:50.000Z'),
      nextAttemptAt: '2026-11-25T12:00:30.000Z',
    });
    const redrive = makeRedriveStuckJobs({
      jobs,
      queue: { enqueue: async (m) => void sent.push(m) },
      clock: fixedClock(),
    });
    // Act
    const ids = await redrive({ olderThanMs: 0 });
    // Assess
    expect(ids).toEqual(['backing-off']);
    expect(sent).toEqual([{ version: '1', jobId: 'backing-off', action: 'clone' }]);
  });

  it('walks every page of a long listing', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    for (let i = 0; i < 250; i++)
      await jobs.create(job(`job-${String(i).padStart(4, '0')}`, 'QUEUED', '2026-11-25T10:00:00.000Z'));
    const redrive = makeRedriveStuckJobs({ jobs, queue: { enqueue: async () => {} }, clock: fixedClock() });
    // Act
    const ids = await redrive({ olderThanMs: 0 });
    // Assess
    expect(new Set(ids).size).toBe(250);
  });
});
