import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import type { CloneJob } from '#shared/clones/model/clone-job';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitCloneAs } from '#shared/clones/use-cases/submit-clone';
import { makeVerifyCloneVm } from '#shared/clones/use-cases/verify-clone-vm';
import { VcenterUnavailableError } from '#shared/errors/app-error';
import { PoolSpecSchema } from '#shared/pools/model/pool';
import { makeClaimSpare } from '#shared/pools/use-cases/claim-from-pool';
import { parseRunnerPools } from '#shared/runners/model/runner-pools';
import { InMemoryDeliveryLedger } from '#shared/runners/ports/delivery-ledger';
import { makeHandleGithubWebhook } from '#shared/runners/use-cases/handle-github-webhook';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';
import { InMemoryPoolClaims, RecordingPoolEvents } from '#test/fakes/in-memory-pool-claims';
import { InMemoryPoolRepository } from '#test/fakes/in-memory-pool-repository';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/github', `${name}.json`), 'utf8')) as {
    workflow_job: Record<string, unknown>;
  };

const runnerPools = (warmPool?: string) =>
  parseRunnerPools(
    JSON.stringify({
      version: '1',
      pools: [
        {
          name: 'linux',
          labels: ['self-hosted', 'Linux', 'x64'],
          source: { path: '/DC0/vm/runner-golden' },
          organizations: ['octo-org'],
          ...(warmPool && { warmPool }),
        },
      ],
    }),
  );

/** A warm pool `runners` with `spares` ready clones of the golden runner VM. */
const setup = async ({ spares = 1, warmPool = 'runners', failQueue = false } = {}) => {
  const clock = fixedClock('2026-11-25T14:00:01Z');
  const jobs = new InMemoryJobRepository();
  const pools = new InMemoryPoolRepository();
  const events = new RecordingPoolEvents();
  const sent: CloneMessageInput[] = [];
  const cloner = new ScriptedVmCloner();
  await pools.put('runners', PoolSpecSchema.parse({ source: { path: '/DC0/vm/runner-golden' } }), clock.now());
  for (let i = 0; i < spares; i++) {
    const at = clock.now().toISOString();
    const spare: CloneJob = {
      jobId: `spare-000${i}`,
      status: 'SUCCEEDED',
      announced: 'SUCCEEDED',
      version: 3,
      request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/runner-golden' }, labels: {} }),
      vmName: `runners-${i}`,
      vm: { moref: `vm-${40 + i}`, name: `runners-${i}`, nics: [] },
      createdAt: at,
      updatedAt: at,
    };
    spare.request.labels = { 'instaclone.pool': 'runners' };
    await jobs.create(spare);
    const vm = { ...(spare.vm as NonNullable<CloneJob['vm']>), extraConfig: { 'instaclone.jobId': spare.jobId } };
    cloner.vms.set(vm.moref, vm);
  }
  const queue = {
    enqueue: async (m: CloneMessageInput) => {
      if (failQueue && m.action === 'configure') throw new Error('queue down');
      sent.push(m);
    },
  };
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const claimSpare = makeClaimSpare({
    pools,
    jobs,
    claims: new InMemoryPoolClaims(jobs),
    submitClone: async () => {
      throw new Error('a warm claim never submits a clone');
    },
    verifyVm: makeVerifyCloneVm({ cloner }),
    requestDestroy,
    events,
    clock,
    ids: { jobId: () => 'unused' },
  });
  const handle = makeHandleGithubWebhook({
    pools: runnerPools(warmPool),
    deliveries: new InMemoryDeliveryLedger(),
    jobs,
    queue,
    clock,
    submitCloneAs: makeSubmitCloneAs({
      jobs,
      queue,
      clock,
      access: internalAccess('test'),
      macs: inMemoryJobMacs(jobs, clock).macs,
    }),
    requestDestroy,
    claimSpare,
  });
  return { handle, jobs, sent, events, cloner };
};

const queued = { event: 'workflow_job', deliveryId: 'd-1', payload: fixture('workflow-job-queued') };

describe('Use case: GitHub runners from a warm pool', () => {
  it('claims a ready spare for a queued job and asks the worker to configure it', async () => {
    // Prepare
    const { handle, jobs, sent, events } = await setup();
    // Act
    const outcome = await handle(queued);
    // Assess
    expect(outcome).toEqual({ outcome: 'claimed', jobId: 'spare-0000', pool: 'linux', warmPool: 'runners' });
    expect(sent).toEqual([
      { version: '1', jobId: 'spare-0000', action: 'configure', requestedAt: '2026-11-25T14:00:01.000Z' },
    ]);
    const claimed = await jobs.get('spare-0000');
    expect(claimed?.request.labels).toMatchObject({
      'instaclone.pool': 'runners',
      'instaclone.claimedBy': 'github-job-2832853555',
      'github.pool': 'linux',
      'github.job-id': '2832853555',
      'github.repo': 'octo-org/Hello-World',
      'github.installation-id': '2311213',
      'github.warm': 'runners',
    });
    expect(events.ofType('Pool Claimed')).toHaveLength(1);
    expect(await jobs.get('github-job-2832853555')).toBeUndefined();
  });

  it('clones a runner for the job as usual when no spare is ready', async () => {
    // Prepare
    const { handle, sent } = await setup({ spares: 0 });
    // Act
    const outcome = await handle(queued);
    // Assess
    expect(outcome).toEqual({ outcome: 'submitted', jobId: 'github-job-2832853555', pool: 'linux' });
    expect(sent).toEqual([{ version: '1', jobId: 'github-job-2832853555' }]);
  });

  it('clones a runner for the job as usual when vCenter cannot vouch for the spare just now', async () => {
    // Prepare
    const { handle, jobs, sent, cloner } = await setup();
    cloner.readExtraConfigError = new VcenterUnavailableError('connect ECONNREFUSED 10.0.0.5:443');
    // Act
    const outcome = await handle(queued);
    // Assess
    expect(outcome).toEqual({ outcome: 'submitted', jobId: 'github-job-2832853555', pool: 'linux' });
    expect(sent).toEqual([{ version: '1', jobId: 'github-job-2832853555' }]);
    expect((await jobs.get('spare-0000'))?.request.labels?.['instaclone.claimedBy']).toBeUndefined();
  });

  it('clones a runner as usual when the warm pool does not exist', async () => {
    // Prepare
    const { handle } = await setup({ warmPool: 'missing' });
    // Act
    const outcome = await handle(queued);
    // Assess
    expect(outcome).toMatchObject({ outcome: 'submitted' });
  });

  it('gives the spare up (destroys it) when the configure message cannot be queued, so a retry starts clean', async () => {
    // Prepare
    const { handle, jobs } = await setup({ failQueue: true });
    // Act
    const attempt = handle(queued);
    // Assess
    await expect(attempt).rejects.toThrow('queue down');
    expect((await jobs.get('spare-0000'))?.status).toBe('DESTROYING');
  });

  it('destroys the warm runner that ran a completed job, found by its runner name', async () => {
    // Prepare
    const { handle, jobs, sent } = await setup();
    await handle(queued);
    const completed = fixture('workflow-job-completed');
    completed.workflow_job.runner_name = 'instaclone-spare-0000';
    // Act
    const outcome = await handle({ event: 'workflow_job', deliveryId: 'd-2', payload: completed });
    // Assess
    expect(outcome).toEqual({ outcome: 'destroy-requested', jobId: 'spare-0000' });
    expect((await jobs.get('spare-0000'))?.status).toBe('DESTROYING');
    expect(sent.at(-1)).toEqual({ version: '1', jobId: 'spare-0000', action: 'destroy' });
  });

  it('never destroys a job that is not a runner clone, whatever a runner is called', async () => {
    // Prepare: an unclaimed spare is no runner.
    const { handle, jobs } = await setup();
    const completed = fixture('workflow-job-completed');
    completed.workflow_job.runner_name = 'instaclone-spare-0000';
    // Act
    const outcome = await handle({ event: 'workflow_job', deliveryId: 'd-3', payload: completed });
    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: 'runner clone unknown' });
    expect((await jobs.get('spare-0000'))?.status).toBe('SUCCEEDED');
  });
});
