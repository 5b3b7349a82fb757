import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { type CloneRequestInput, CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const jobId = 'job-0010-macs';

const setup = async (body: Partial<CloneRequestInput>) => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const events = new RecordingEventPublisher();
  const clock = fixedClock();
  const { macs, registry } = inMemoryJobMacs(jobs, clock);
  const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' }, ...body });
  const at = '2026-11-25T12:00:00.000Z';
  const draft: CloneJob = {
    jobId,
    status: 'QUEUED',
    version: 1,
    request,
    vmName: 'ci-2',
    createdAt: at,
    updatedAt: at,
  };
  await jobs.create({ ...draft, macs: await macs.claim(draft) });
  const queue = { enqueue: async () => undefined };
  const quota = new RecordingQuotaRelease();
  const handle = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, quota, macs });
  const deliver = () => handle({ version: '1', jobId, action: 'clone' }, { deadline: Date.now() + 60_000 });
  return { cloner, registry, deliver };
};

describe('Use case: a MAC vCenter already shows on another VM', () => {
  it('ends the job FAILED MAC_IN_USE naming the NIC and the VM, clones nothing and frees the MAC', async () => {
    // Prepare
    const { cloner, registry, deliver } = await setup({
      nics: [
        { key: 4000, mac: 'auto' },
        { key: 4001, mac: '00:50:56:3A:12:35' },
      ],
    });
    cloner.inventoryMacs.set('00:50:56:3a:12:35', { moref: 'vm-42', name: 'lab-db' });
    // Act
    const job = (await deliver()) as CloneJob;
    // Assess
    expect(job).toMatchObject({
      status: 'FAILED',
      error: {
        code: 'MAC_IN_USE',
        retryable: false,
        message: 'MAC 00:50:56:3a:12:35 is already used by VM lab-db (vm-42) in vCenter',
      },
    });
    expect(cloner.calls).toEqual(['vmsWithMacs 00:50:56:3a:12:35']);
    expect(registry.holdings.size).toBe(0);
  });

  it('asks vCenter nothing about MACs for a job that wants none', async () => {
    // Prepare
    const { cloner, deliver } = await setup({ nics: [{ key: 4000, mac: 'auto' }] });
    // Act
    const job = (await deliver()) as CloneJob;
    // Assess
    expect(job.status).toBe('SUCCEEDED');
    expect(cloner.calls.some((c) => c.startsWith('vmsWithMacs'))).toBe(false);
  });
});
