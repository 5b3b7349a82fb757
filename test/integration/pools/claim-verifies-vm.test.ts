import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import type { PoolView } from '#shared/pools/model/pool-view';
import { createVimClient, type MoRef, type VimClient } from '#shared/vsphere/index';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';
import { until } from '#test/support/until';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
/** Someone else at the same vCenter: an operator, a restore from backup, a restarted simulator's re-used morefs. */
let operator: VimClient;
const soon = () => ({ deadline: Date.now() + 10_000 });
const vmRef = (job: CloneJobView) =>
  ({ type: 'VirtualMachine', value: job.vm?.moref ?? '' }) as MoRef<'VirtualMachine'>;

beforeAll(async () => {
  stack = await startTestStack({ poolScaleMs: 60_000 });
  api = apiClient(stack);
  operator = createVimClient({ url: stack.vcenterUrl, credentials: async () => ({ username: 'ops', password: 'x' }) });
});
afterAll(async () => {
  await operator?.logout();
  await stack?.close();
});

const readySpares = async (pool: string, count: number): Promise<CloneJobView[]> => {
  await until(async () => {
    const view = (await api.call('GET', `/v1/pools/${pool}`)).json as unknown as PoolView;
    return view.status.ready === count && view.status.inFlight === 0 ? view : undefined;
  });
  const page = await api.call('GET', `/v1/clones?label=instaclone.pool=${pool}&status=SUCCEEDED&limit=100`);
  return page.json.jobs as CloneJobView[];
};

describe('A pool claim through the local stack asks the simulator whose VM a spare is', () => {
  it('hands out the one spare whose VM is still its own; the others are retired and another job’s VM left alone', async () => {
    // Prepare: of three ready spares, one VM was destroyed behind our back and one now carries another job's id.
    await api.call('PUT', '/v1/pools/checked', { source: { path: '/DC0/vm/DC0_H0_VM0' }, spare: 3, max: 6 });
    const [gone, foreign, good] = await readySpares('checked', 3);
    if (!gone || !foreign || !good) throw new Error('the pool never had three spares');
    await operator.waitForTask(await operator.powerOff(vmRef(gone)), soon());
    await operator.waitForTask(await operator.destroy(vmRef(gone)), soon());
    await operator.waitForTask(await operator.setExtraConfig(vmRef(foreign), { 'instaclone.jobId': 'other' }), soon());

    // Act
    const claim = await api.call('POST', '/v1/pools/checked/claim', { claimedBy: 'build-77' });

    // Assess
    expect(claim.status).toBe(200);
    expect(claim.json).toMatchObject({ source: 'spare', clone: { jobId: good.jobId, vm: { moref: good.vm?.moref } } });
    for (const stale of [gone, foreign]) {
      const ended = await api.waitFor(stale.jobId, (job) => job.status === 'DESTROYED');
      expect(ended.error).toMatchObject({ code: 'VM_NOT_OURS', retryable: false });
      expect(ended.request.labels?.['instaclone.claimedBy']).toBeUndefined();
    }
    expect(stack.vcsim?.sim.getVm(foreign.vm?.moref ?? '')).toMatchObject({
      powerState: 'poweredOn',
      extraConfig: { 'instaclone.jobId': 'other' },
    });
    const claimed = stack.bus.published.filter(
      (e) => e['detail-type'] === 'Pool Claimed' && e.detail.pool === 'checked',
    );
    expect(claimed.map((e) => e.detail.jobId)).toEqual([good.jobId]);
  });
});
