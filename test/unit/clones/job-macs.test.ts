import { describe, expect, it } from 'vitest';
import { MacInUseError, MacRangeExhaustedError } from '#shared/clones/model/clone-errors';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { type CloneRequestInput, CloneRequestSchema } from '#shared/clones/model/clone-request';
import { MacRangeSchema } from '#shared/clones/model/mac-ranges';
import { UNWRITTEN_JOB_GRACE_MS } from '#shared/clones/use-cases/job-macs';
import { ValidationError } from '#shared/errors/app-error';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';

const CI = MacRangeSchema.parse({ name: 'ci', first: '00:50:56:10:00:00', last: '00:50:56:10:00:02' });

const world = () => {
  const jobs = new InMemoryJobRepository();
  const clock = fixedClock();
  return { jobs, clock, ...inMemoryJobMacs(jobs, clock, [CI]) };
};

const draft = (jobId: string, nics: CloneRequestInput['nics']) => ({
  jobId,
  request: CloneRequestSchema.parse({ source: { moref: 'vm-1' }, nics }),
});

/** Stores the job as the worker would have left it. */
const store = (jobs: InMemoryJobRepository, jobId: string, status: CloneJob['status'], macs: CloneJob['macs']) => {
  const job = { ...draft(jobId, []), status, version: 1, vmName: jobId, createdAt: '', updatedAt: '', macs };
  jobs.items.set(jobId, job as CloneJob);
  return job as CloneJob;
};

describe('Use case: job MACs (manual)', () => {
  it('gives a manual MAC to one job and refuses it to another, naming the field', async () => {
    // Prepare
    const { macs, jobs } = world();
    store(jobs, 'job-a', 'RUNNING', await macs.claim(draft('job-a', [{ key: 4000, mac: '00:50:56:3a:12:35' }])));
    // Act
    const second = macs.claim(draft('job-b', [{ key: 4000, mac: '00:50:56:3a:12:35' }]));
    // Assess
    await expect(second).rejects.toBeInstanceOf(MacInUseError);
    await expect(second).rejects.toMatchObject({ issues: [{ field: 'nics.0.mac' }] });
  });

  it('gives back what a request already got when a later NIC is refused', async () => {
    // Prepare
    const { macs, jobs, registry } = world();
    store(jobs, 'job-a', 'RUNNING', await macs.claim(draft('job-a', [{ key: 4000, mac: '00:50:56:3a:00:02' }])));
    // Act
    const attempt = macs.claim(
      draft('job-b', [
        { key: 4000, mac: '00:50:56:3a:00:01' },
        { key: 4001, mac: '00:50:56:3a:00:02' },
      ]),
    );
    // Assess
    await expect(attempt).rejects.toMatchObject({ issues: [{ field: 'nics.1.mac' }] });
    expect([...registry.holdings.keys()]).toEqual(['00:50:56:3a:00:02']);
  });

  it('lets the same job claim again (a retried submit)', async () => {
    // Prepare
    const { macs } = world();
    const request = draft('job-a', [{ label: 'Network adapter 1', mac: '00:50:56:3a:12:35' }]);
    await macs.claim(request);
    // Act
    const again = await macs.claim(request);
    // Assess
    expect(again).toEqual([{ label: 'Network adapter 1', mac: '00:50:56:3a:12:35' }]);
  });

  it.each(['FAILED', 'DESTROYED'] as const)(
    'takes over a MAC whose job ended %s but was never released',
    async (status) => {
      // Prepare
      const { macs, jobs } = world();
      store(jobs, 'job-a', status, await macs.claim(draft('job-a', [{ key: 4000, mac: '00:50:56:3a:12:35' }])));
      // Act
      const claimed = await macs.claim(draft('job-b', [{ key: 4000, mac: '00:50:56:3a:12:35' }]));
      // Assess
      expect(claimed).toEqual([{ key: 4000, mac: '00:50:56:3a:12:35' }]);
    },
  );

  it('keeps a MAC claimed for a job not yet written during the grace period, then takes it over', async () => {
    // Prepare: job-a's claim succeeded, its row was never written (a crash in between)
    const { macs, clock } = world();
    await macs.claim(draft('job-a', [{ key: 4000, mac: '00:50:56:3a:12:35' }]));
    const asked = draft('job-b', [{ key: 4000, mac: '00:50:56:3a:12:35' }]);
    // Act
    const early = macs.claim(asked);
    await expect(early).rejects.toBeInstanceOf(MacInUseError);
    clock.advance(UNWRITTEN_JOB_GRACE_MS + 1);
    const late = await macs.claim(asked);
    // Assess
    expect(late).toEqual([{ key: 4000, mac: '00:50:56:3a:12:35' }]);
  });

  it('frees a job’s MACs once it ended without a clone, and not while it holds them', async () => {
    // Prepare
    const { macs, jobs, registry } = world();
    const held = await macs.claim(draft('job-a', [{ key: 4000, mac: '00:50:56:3a:12:35' }]));
    // Act
    await macs.release(store(jobs, 'job-a', 'SUCCEEDED', held));
    const whileAlive = registry.holdings.size;
    await macs.release(store(jobs, 'job-a', 'FAILED', held));
    // Assess
    expect(whileAlive).toBe(1);
    expect(registry.holdings.size).toBe(0);
  });
});

describe('Use case: job MACs (managed ranges)', () => {
  it('allocates consecutive free MACs of the range and records the range', async () => {
    // Prepare
    const { macs } = world();
    // Act
    const first = await macs.claim(draft('job-a', [{ key: 4000, mac: 'range:ci' }]));
    const second = await macs.claim(draft('job-b', [{ key: 4000, mac: 'range:ci' }]));
    // Assess
    expect(first).toEqual([{ key: 4000, mac: '00:50:56:10:00:00', range: 'ci' }]);
    expect(second).toEqual([{ key: 4000, mac: '00:50:56:10:00:01', range: 'ci' }]);
  });

  it('skips a MAC of the range someone claimed by hand', async () => {
    // Prepare
    const { macs, jobs } = world();
    store(jobs, 'job-a', 'RUNNING', await macs.claim(draft('job-a', [{ key: 4000, mac: '00:50:56:10:00:00' }])));
    // Act
    const allocated = await macs.claim(draft('job-b', [{ key: 4000, mac: 'range:ci' }]));
    // Assess
    expect(allocated[0]?.mac).toBe('00:50:56:10:00:01');
  });

  it('answers an exhausted range with its name and size, and allocates again once a MAC is freed', async () => {
    // Prepare: the 3 MACs of the range held by live jobs
    const { macs, jobs } = world();
    const holders = [];
    for (const id of ['job-a', 'job-b', 'job-c'])
      holders.push(store(jobs, id, 'RUNNING', await macs.claim(draft(id, [{ key: 4000, mac: 'range:ci' }]))));
    // Act
    const refused = macs.claim(draft('job-d', [{ key: 4000, mac: 'range:ci' }]));
    await expect(refused).rejects.toBeInstanceOf(MacRangeExhaustedError);
    await expect(refused).rejects.toThrow('MAC range "ci" has no free MAC: all 3 of its MACs are held');
    const [, freed] = holders;
    await macs.release(store(jobs, 'job-b', 'DESTROYED', freed?.macs));
    const after = await macs.claim(draft('job-d', [{ key: 4000, mac: 'range:ci' }]));
    // Assess
    expect(after).toEqual([{ key: 4000, mac: '00:50:56:10:00:01', range: 'ci' }]);
  });

  it('refuses an unknown range as a validation error naming the field and the configured ranges', async () => {
    // Prepare
    const { macs, registry } = world();
    // Act
    const attempt = macs.claim(draft('job-a', [{ key: 4000, mac: 'range:lab' }]));
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      issues: [{ field: 'nics.0.mac', message: 'names no managed MAC range (configured: ci)' }],
    });
    expect(registry.holdings.size).toBe(0);
  });
});
