import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { createVimClient, type MoRef } from '#shared/vsphere/index';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack);
});

afterAll(async () => {
  await stack?.close();
});

const sim = () => {
  if (!stack.vcsim) throw new Error('the test stack runs without its simulator');
  return stack.vcsim.sim;
};
const source = { path: '/DC0/vm/DC0_H0_VM0' };
const submit = async (body: Record<string, unknown>) => {
  const answer = await api.call('POST', '/v1/clones', { source, ...body });
  expect(answer.status).toBe(202);
  return answer.json as unknown as CloneJobView;
};
/** Resolves once the simulator has no VM of that name (the worker destroys a refused clone after recording FAILED). */
const gone = (name: string) => vi.waitFor(() => expect(sim().findVmByName(name)).toBeUndefined(), { timeout: 10_000 });

describe('What vCenter applied is checked after each clone, through the worker against the simulator', () => {
  it('fails a clone whose guestinfo was dropped with SPEC_NOT_APPLIED naming the key, and destroys it', async () => {
    // Prepare
    sim().injectFault({ method: 'InstantClone_Task', effect: 'dropSpec', keys: ['guestinfo.*'], count: 1 });
    const { jobId, vmName } = await submit({ guestinfo: { 'ci.job': '42', 'ci.ref': 'main' } });
    // Act
    const job = await api.waitForFinished(jobId);
    await gone(vmName);
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'SPEC_NOT_APPLIED', retryable: false } });
    expect(job.error?.message).toContain('extraConfig keys missing or different: guestinfo.ci.job, guestinfo.ci.ref');
  });

  it('destroys a clone that lacks even its instaclone.jobId marker, known as ours by the task that made it', async () => {
    // Prepare
    sim().injectFault({ method: 'InstantClone_Task', effect: 'dropSpec', count: 1 });
    const { jobId, vmName } = await submit({ guestinfo: { 'ci.job': '43' } });
    // Act
    const job = await api.waitForFinished(jobId);
    await gone(vmName);
    // Assess
    expect(job.error?.code).toBe('SPEC_NOT_APPLIED');
    expect(job.error?.message).toContain('guestinfo.ci.job, instaclone.jobId');
  });

  it('fails a clone whose NIC did not get its manual MAC, naming the NIC and both MACs', async () => {
    // Prepare
    sim().injectFault({ method: 'InstantClone_Task', effect: 'dropSpec', keys: [], macs: true, count: 1 });
    const { jobId, vmName } = await submit({ nics: [{ key: 4000, mac: '00:50:56:3a:77:01' }] });
    // Act
    const job = await api.waitForFinished(jobId);
    await gone(vmName);
    // Assess
    expect(job.error?.code).toBe('SPEC_NOT_APPLIED');
    expect(job.error?.message).toMatch(/NIC 4000 has MAC 00:50:56:[0-9a-f:]+, not 00:50:56:3a:77:01/);
  });

  it('fails a job whose manual MAC another VM in vCenter carries with MAC_IN_USE naming that VM, and clones nothing', async () => {
    // Prepare: someone else clones a VM with that MAC straight through vCenter (the service cannot know at submit)
    const url = stack.vcsim?.url ?? '';
    const vim = createVimClient({ url, credentials: async () => ({ username: 'lab', password: 'lab' }) });
    const sourceVm = (await vim.findByInventoryPath(source.path)) as MoRef<'VirtualMachine'>;
    const task = await vim.instantClone(sourceVm, {
      name: 'lab-db',
      nics: [{ key: 4000, macAddress: '00:50:56:3a:77:10' }],
      extraConfig: {},
    });
    await vim.waitForTask(task, { deadline: Date.now() + 10_000 });
    const labDb = sim().findVmByName('lab-db');
    // Act
    const { jobId, vmName } = await submit({ nics: [{ key: 4000, mac: '00:50:56:3A:77:10' }] });
    const job = await api.waitForFinished(jobId);
    // Assess
    expect(job).toMatchObject({
      status: 'FAILED',
      error: {
        code: 'MAC_IN_USE',
        retryable: false,
        message: `MAC 00:50:56:3a:77:10 is already used by VM lab-db (${labDb?.moref}) in vCenter`,
      },
    });
    expect(sim().findVmByName(vmName)).toBeUndefined();
    await vim.logout();
  });

  it('succeeds when vCenter applied everything', async () => {
    // Act
    const { jobId } = await submit({ guestinfo: { 'ci.job': '44' }, nics: [{ key: 4000, mac: '00:50:56:3a:77:02' }] });
    const job = await api.waitForFinished(jobId);
    // Assess
    expect(job).toMatchObject({ status: 'SUCCEEDED', vm: { nics: [{ key: 4000, mac: '00:50:56:3a:77:02' }] } });
  });
});
