import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { GithubApiError } from '#shared/runners/model/github-api-error';
import { parseRunnerPools } from '#shared/runners/model/runner-pools';
import type { RegisteredRunner } from '#shared/runners/ports/github-runners';
import { makeReapIdleRunners } from '#shared/runners/use-cases/reap-idle-runners';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';

const pools = parseRunnerPools(
  JSON.stringify({
    version: '1',
    pools: [
      {
        name: 'linux',
        labels: ['self-hosted'],
        source: { moref: 'vm-1' },
        idleMinutes: 15,
        organizations: ['octo-org'],
      },
    ],
  }),
);

const runnerJob = (n: number, readyAt: string, labels: Record<string, string> = {}): CloneJob =>
  ({
    jobId: `github-job-${n}`,
    status: 'SUCCEEDED',
    version: 3,
    vmName: `instaclone-github-job-${n}`,
    request: {
      source: { moref: 'vm-1' },
      labels: { 'github.pool': 'linux', 'github.repo': 'o/r', 'github.installation-id': '7', ...labels },
    },
    readyAt,
    createdAt: readyAt,
    updatedAt: readyAt,
  }) as unknown as CloneJob;

const setup = async (runners: Record<string, RegisteredRunner | 'error'>) => {
  const jobs = new InMemoryJobRepository();
  await jobs.create(runnerJob(1, '2026-11-25T11:00:00Z')); // idle for an hour, runner online, not busy
  await jobs.create(runnerJob(2, '2026-11-25T11:00:00Z')); // busy with a job
  await jobs.create(runnerJob(3, '2026-11-25T11:00:00Z')); // never registered
  await jobs.create(runnerJob(4, '2026-11-25T11:55:00Z')); // up for five minutes only
  await jobs.create(runnerJob(5, '2026-11-25T11:00:00Z')); // GitHub failed to answer
  const deleted: number[] = [];
  const destroyed: string[] = [];
  const reap = makeReapIdleRunners({
    pools,
    jobs,
    clock: fixedClock('2026-11-25T12:00:00Z'),
    github: {
      findRunnerByName: async (_scope, name) => {
        const runner = runners[name];
        if (runner === 'error') throw new GithubApiError('GITHUB_RATE_LIMITED', 'slow down');
        return runner;
      },
      deleteRunner: async (_scope, id) => void deleted.push(id),
    },
    requestDestroy: async (jobId) => {
      destroyed.push(jobId);
      return runnerJob(0, '');
    },
  });
  return { reap, deleted, destroyed };
};

describe('Use case: reap idle runners', () => {
  it('unregisters and destroys idle or never-registered runner clones, and leaves busy and young ones', async () => {
    // Prepare
    const { reap, deleted, destroyed } = await setup({
      'instaclone-github-job-1': { id: 11, name: 'instaclone-github-job-1', busy: false },
      'instaclone-github-job-2': { id: 12, name: 'instaclone-github-job-2', busy: true },
      'instaclone-github-job-4': { id: 14, name: 'instaclone-github-job-4', busy: false },
      'instaclone-github-job-5': 'error',
    });
    // Act
    const reaped = await reap();
    // Assess
    expect(reaped).toEqual([
      { jobId: 'github-job-1', reason: 'idle' },
      { jobId: 'github-job-3', reason: 'never registered' },
    ]);
    expect(deleted).toEqual([11]);
    expect(destroyed).toEqual(['github-job-1', 'github-job-3']);
  });

  it('counts a warm runner’s idle time from its JIT config or its claim, not from the spare’s birth', async () => {
    // Prepare: a spare up since 10:00, claimed and configured five minutes ago.
    const jobs = new InMemoryJobRepository();
    await jobs.create({ ...runnerJob(6, '2026-11-25T10:00:00Z'), configuredAt: '2026-11-25T11:55:00Z' });
    // Claimed five minutes ago, its JIT config still being fetched (GitHub rate-limited the worker).
    await jobs.create(
      runnerJob(7, '2026-11-25T10:00:00Z', { 'github.warm': 'runners', 'github.queued-at': '2026-11-25T11:55:00Z' }),
    );
    const asked: string[] = [];
    const reap = makeReapIdleRunners({
      pools,
      jobs,
      clock: fixedClock('2026-11-25T12:00:00Z'),
      github: {
        findRunnerByName: async (_scope, name) => void asked.push(name),
        deleteRunner: async () => undefined,
      },
      requestDestroy: async () => runnerJob(0, ''),
    });
    // Act
    const reaped = await reap();
    // Assess
    expect(reaped).toEqual([]);
    expect(asked).toEqual([]);
  });
});
