import { servicePrincipal } from '#shared/access/model/principal';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { makeVerifyCloneVm } from '#shared/clones/use-cases/verify-clone-vm';
import { type PoolSpecInput, PoolSpecSchema } from '#shared/pools/model/pool';
import type { ScalingPolicy } from '#shared/pools/model/scaling-plan';
import { makeScalePool } from '#shared/pools/use-cases/scale-pool';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';
import { InMemoryPoolClaims, RecordingPoolEvents } from '#test/fakes/in-memory-pool-claims';
import { InMemoryPoolRepository } from '#test/fakes/in-memory-pool-repository';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

/**
 * Everything a pool use case needs, in memory, plus a stand-in for the worker that finishes jobs and for vCenter,
 * where a finished job's VM carries its job id.
 */
export const poolWorld = (policy: Partial<ScalingPolicy> = {}) => {
  const clock = fixedClock();
  const jobs = new InMemoryJobRepository();
  const pools = new InMemoryPoolRepository();
  const claims = new InMemoryPoolClaims(jobs);
  const events = new RecordingPoolEvents();
  const enqueued: Array<{ jobId: string; action?: string }> = [];
  const queue = { enqueue: async (m: { jobId: string; action?: string }) => void enqueued.push(m) };
  let next = 0;
  const ids = { jobId: () => `job-${String(++next).padStart(4, '0')}` };
  const submitClone = makeSubmitClone({
    jobs,
    queue,
    clock,
    ids,
    access: internalAccess('warm-pool'),
    macs: inMemoryJobMacs(jobs, clock).macs,
  });
  const submitSpare = (request: Parameters<typeof submitClone>[0]) =>
    submitClone(request, servicePrincipal('pool-scaler'));
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const cloner = new ScriptedVmCloner();
  const verifyVm = makeVerifyCloneVm({ cloner });
  const scalePool = makeScalePool({
    pools,
    jobs,
    claims,
    submitClone: submitSpare,
    requestDestroy,
    events,
    clock,
    ids,
    policy,
  });

  const createPool = (name: string, spec: PoolSpecInput) => pools.put(name, PoolSpecSchema.parse(spec), clock.now());
  const jobsOf = (pool: string): CloneJob[] =>
    [...jobs.items.values()].filter((j) => j.request.labels?.['instaclone.pool'] === pool);
  /** Plays the worker: moves every QUEUED job of the pool to SUCCEEDED (announced) or FAILED. */
  const finish = (pool: string, outcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => {
    for (const job of jobsOf(pool).filter((j) => j.status === 'QUEUED')) {
      const vm = { moref: `vm-${job.jobId}`, name: job.vmName, nics: [] };
      if (outcome === 'SUCCEEDED') cloner.vms.set(vm.moref, { ...vm, extraConfig: { 'instaclone.jobId': job.jobId } });
      jobs.items.set(job.jobId, {
        ...job,
        status: outcome,
        announced: outcome,
        version: job.version + 2,
        ...(outcome === 'SUCCEEDED'
          ? { vm }
          : {
              error: { code: 'VCENTER_FAULT', fault: 'InvalidPowerState', message: 'source is off', retryable: false },
            }),
      });
    }
  };
  return {
    clock,
    jobs,
    pools,
    claims,
    events,
    enqueued,
    ids,
    submitClone,
    submitSpare,
    requestDestroy,
    cloner,
    verifyVm,
    scalePool,
    createPool,
    jobsOf,
    finish,
  };
};
