import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { type CloneRequestInput, CloneRequestSchema } from '#shared/clones/model/clone-request';
import type { ClonePlan, FoundVm } from '#shared/clones/ports/vm-cloner';
import { unappliedSpec } from '#shared/clones/use-cases/applied-spec';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const jobId = 'job-0009-spec';

const setup = async (body: Partial<CloneRequestInput> = {}) => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const events = new RecordingEventPublisher();
  const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' }, guestinfo: { 'ci.job': '42' }, ...body });
  const at = '2026-11-25T12:00:00.000Z';
  await jobs.create({ jobId, status: 'QUEUED', version: 1, request, vmName: 'ci-1', createdAt: at, updatedAt: at });
  const queue = { enqueue: async () => undefined };
  const clock = fixedClock();
  const handle = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, quota: new RecordingQuotaRelease() });
  const deliver = () => handle({ version: '1', jobId, action: 'clone' }, { deadline: Date.now() + 60_000 });
  return { jobs, cloner, events, deliver };
};

const vm = (extraConfig: Record<string, string>, mac = '00:50:56:80:00:01'): FoundVm => ({
  moref: 'vm-7',
  name: 'ci-1',
  nics: [{ key: 4000, label: 'Network adapter 1', mac, addressType: 'manual' }],
  extraConfig,
});
const plan = (extraConfig: Record<string, string>, nics: ClonePlan['nics'] = []): ClonePlan => ({
  source: { moref: 'vm-1' },
  name: 'ci-1',
  nics,
  serialPorts: [],
  parallelPorts: [],
  extraConfig,
});

describe('Use case: a clone is checked against the spec it was made from', () => {
  it('ends a clone without its guestinfo and job marker FAILED SPEC_NOT_APPLIED naming both, and destroys it', async () => {
    // Prepare
    const { cloner, events, deliver } = await setup();
    cloner.outcome = (p) => ({ state: 'succeeded', vm: cloner.createVm(p, {}, 'task-1') });
    // Act
    const job = (await deliver()) as CloneJob;
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'SPEC_NOT_APPLIED', retryable: false } });
    expect(job.error?.message).toContain('extraConfig keys missing or different: guestinfo.ci.job, instaclone.jobId');
    expect(job.cleanupPending).toBeUndefined();
    expect(cloner.calls).toContain('destroyClone vm-100 by task-1');
    expect(cloner.vms.size).toBe(0);
    expect(events.events.map((e) => e.detailType)).toEqual(['Clone Failed']);
  });

  it('ends a clone whose NIC did not get its manual MAC FAILED, naming the NIC and both MACs', async () => {
    // Prepare
    const { cloner, deliver } = await setup({ nics: [{ key: 4000, mac: '00:50:56:3A:12:35' }] });
    cloner.outcome = (p) => ({ state: 'succeeded', vm: cloner.createVm({ ...p, nics: [] }, p.extraConfig, 'task-1') });
    // Act
    const job = (await deliver()) as CloneJob;
    // Assess
    expect(job.error).toMatchObject({ code: 'SPEC_NOT_APPLIED' });
    expect(job.error?.message).toContain('NIC 4000 has MAC 00:50:56:80:00:01, not 00:50:56:3a:12:35');
    expect(cloner.calls).toContain('destroyClone vm-100');
    expect(cloner.vms.size).toBe(0);
  });

  it('succeeds when everything landed, reading nothing more than the MAC check, the task and its VM', async () => {
    // Prepare
    const { cloner, deliver } = await setup({ nics: [{ label: 'Network adapter 1', mac: '00:50:56:3a:12:36' }] });
    // Act
    const job = (await deliver()) as CloneJob;
    // Assess
    expect(job).toMatchObject({ status: 'SUCCEEDED', vm: { nics: [{ key: 4000, mac: '00:50:56:3a:12:36' }] } });
    expect(job.vm).not.toHaveProperty('extraConfig');
    expect(cloner.calls).toEqual(['vmsWithMacs 00:50:56:3a:12:36', 'startClone ci-1', 'waitForClone task-1']);
  });

  it('compares values, MACs in any case, NICs by key or label, and takes an absent key for an empty value', () => {
    // Prepare
    const wanted = plan({ 'guestinfo.a': '1', 'guestinfo.empty': '', 'instaclone.jobId': 'j' }, [
      { label: 'Network adapter 1', mac: '00:50:56:3A:00:01' },
    ]);
    // Act
    const applied = unappliedSpec(wanted, vm({ 'guestinfo.a': '1', 'instaclone.jobId': 'j' }, '00:50:56:3a:00:01'));
    const changed = unappliedSpec(wanted, vm({ 'guestinfo.a': '2', 'instaclone.jobId': 'j' }, '00:50:56:3a:00:01'));
    const noNic = unappliedSpec(plan({}, [{ key: 4001, mac: '00:50:56:3a:00:02' }]), vm({}));
    // Assess
    expect(applied).toBeUndefined();
    expect(changed).toEqual({ keys: ['guestinfo.a'], nics: [] });
    expect(noNic).toEqual({ keys: [], nics: ['NIC 4001 is missing (wanted MAC 00:50:56:3a:00:02)'] });
  });
});
