import { describe, expect, it } from 'vitest';
import { PolicySchema } from '#shared/access/model/policy';
import { tokenPrincipal } from '#shared/access/model/principal';
import { internalAccess, makeAccessGuard } from '#shared/access/use-cases/access-guard';
import type { CloneJob, JobStatus } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeGetStats } from '#shared/stats/use-cases/get-stats';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { InMemoryQuotaLedger } from '#test/fakes/in-memory-quota-ledger';

const HOUR = 3_600_000;
const query = { windowMs: HOUR, bucketMs: 60_000 };
const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' } });

const setup = async (jobs: { id: string; status: JobStatus; createdAt: string }[], maxJobs?: number) => {
  const repository = new InMemoryJobRepository();
  for (const { id, status, createdAt } of jobs) {
    const job: CloneJob = { jobId: id, status, version: 1, request, vmName: id, createdAt, updatedAt: createdAt };
    await repository.create(job);
  }
  const clock = fixedClock('2026-11-25T12:00:00.000Z');
  const reads: { status: JobStatus; createdSince?: string }[] = [];
  const counting = {
    listByStatus: (status: JobStatus, page: Parameters<InMemoryJobRepository['listByStatus']>[1]) => {
      reads.push({ status, ...(page.createdSince && { createdSince: page.createdSince }) });
      return repository.listByStatus(status, page);
    },
  };
  const getStats = makeGetStats({ jobs: counting, clock, access: internalAccess('test'), ...(maxJobs && { maxJobs }) });
  return { clock, reads, getStats: (q: typeof query) => getStats(q, tokenPrincipal('alice')) };
};

describe('Use case: getStats', () => {
  it('reads every live job but only the ended jobs created inside the window', async () => {
    // Prepare: an old spare still alive, and ended jobs from before and inside the window.
    const { getStats, reads } = await setup([
      { id: 'old-spare', status: 'SUCCEEDED', createdAt: '2026-11-25T09:00:00.000Z' },
      { id: 'old-failure', status: 'FAILED', createdAt: '2026-11-25T10:30:00.000Z' },
      { id: 'new-failure', status: 'FAILED', createdAt: '2026-11-25T11:30:00.000Z' },
      { id: 'old-destroyed', status: 'DESTROYED', createdAt: '2026-11-24T12:00:00.000Z' },
    ]);
    // Act
    const stats = await getStats(query);
    // Assess
    expect(stats.jobsRead).toBe(2);
    expect(stats.truncated).toBe(false);
    expect(reads).toEqual([
      { status: 'QUEUED' },
      { status: 'RUNNING' },
      { status: 'SUCCEEDED' },
      { status: 'DESTROYING' },
      { status: 'FAILED', createdSince: '2026-11-25T11:00:00.000Z' },
      { status: 'DESTROYED', createdSince: '2026-11-25T11:00:00.000Z' },
    ]);
  });

  it('stops at its cap and says the figures are truncated', async () => {
    // Prepare
    const live = Array.from({ length: 5 }, (_, i) => ({
      id: `job-${i}`,
      status: 'QUEUED' as const,
      createdAt: '2026-11-25T11:59:00.000Z',
    }));
    const { getStats } = await setup(live, 3);
    // Act
    const stats = await getStats(query);
    // Assess
    expect(stats).toMatchObject({ jobsRead: 3, truncated: true });
  });

  it('answers many consoles from one read for a few seconds, then reads again', async () => {
    // Prepare
    const { getStats, reads, clock } = await setup([]);
    await getStats(query);
    // Act
    clock.advance(5_000);
    await getStats(query);
    const readsWhileCached = reads.length;
    clock.advance(6_000);
    await getStats(query);
    // Assess
    expect(readsWhileCached).toBe(6);
    expect(reads).toHaveLength(12);
  });

  it('keeps the readings of the last four windows only, however many windows callers ask for', async () => {
    // Prepare: the hour read, then every other window a caller may ask for (5m to 6h), all within the cache's time.
    const { getStats, reads } = await setup([]);
    await getStats(query);
    for (let minutes = 5; minutes <= 360; minutes++) {
      if (minutes !== 60) await getStats({ windowMs: minutes * 60_000, bucketMs: minutes * 1_000 });
    }
    const readsBefore = reads.length;
    // Act
    await getStats(query);
    await getStats({ windowMs: 360 * 60_000, bucketMs: 360_000 });
    // Assess: the hour was dropped (read again), the last window read is still kept.
    expect(reads.length - readsBefore).toBe(6);
  });

  it('counts only the jobs the caller may read, and refuses a caller who may not list', async () => {
    // Prepare: alice may list and read her own jobs; carol has no grant.
    const repository = new InMemoryJobRepository();
    for (const [id, owner] of [
      ['a-1', 'alice'],
      ['a-2', 'alice'],
      ['b-1', 'bob'],
    ] as const) {
      const createdAt = '2026-11-25T11:59:00.000Z';
      await repository.create({
        jobId: id,
        status: 'QUEUED',
        version: 1,
        request,
        vmName: id,
        createdAt,
        updatedAt: createdAt,
        requestedBy: tokenPrincipal(owner),
      });
    }
    const policy = PolicySchema.parse({
      version: '1',
      rules: [{ id: 'own', principals: [{ id: 'token:alice' }], actions: ['list', 'read'] }],
    });
    const clock = fixedClock('2026-11-25T12:00:00.000Z');
    const access = makeAccessGuard({
      policy,
      ledger: new InMemoryQuotaLedger(),
      recorder: { denied: () => {} },
      clock,
    });
    const getStats = makeGetStats({ jobs: repository, clock, access });
    // Act
    const alices = await getStats(query, tokenPrincipal('alice'));
    const carols = getStats(query, tokenPrincipal('carol'));
    // Assess
    expect(alices.jobsRead).toBe(2);
    await expect(carols).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });
});
