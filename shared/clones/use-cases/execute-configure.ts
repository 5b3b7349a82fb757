import { operationIdOf } from '../../access/model/grant.js';
import { GuestConfigError } from '../../errors/app-error.js';
import { configuredEventFor } from '../../events/clone-events.js';
import type { CloneJob } from '../model/clone-job.js';
import { transition } from '../model/job-transition.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { GuestinfoResolver } from '../ports/guestinfo-resolver.js';
import type { VmCloner } from '../ports/vm-cloner.js';
import { JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';
import type { JobWriterDeps } from './job-announcer.js';
import { makeRequestDestroy } from './request-destroy.js';

/**
 * Marker set on the VM in the same ReconfigVM_Task as the values: a redelivery that finds it knows the values are
 * there and must not be resolved again (a second JIT config would unregister the runner the guest already started).
 */
export const CONFIGURED_EXTRA_CONFIG_KEY = 'instaclone.configuredAt';

export type ExecuteConfigureDeps = JobWriterDeps & {
  queue: CloneQueue;
  cloner: VmCloner;
  /** The late values; `{}` means there is nothing to set. */
  resolveGuestinfo?: GuestinfoResolver;
};

/**
 * Runs one delivery of a `configure` message: hands a finished, running clone the guestinfo only known after its
 * birth (a warm-pool runner's JIT config, resolved at its claim), then announces `Clone Configured` and records
 * `configuredAt` (event first: a crash in between re-announces, it never loses the event).
 * 1. No job, or a job not SUCCEEDED, without a VM, to be destroyed or already configured → nothing to do.
 * 2. The VM is gone or no longer ours (`instaclone.jobId`) → nothing is set; the lease or reaper clean up.
 * 3. Values are resolved and set only when the VM lacks the marker {@link CONFIGURED_EXTRA_CONFIG_KEY}.
 * Rejects (SQS redelivers) on vCenter faults and retryable GuestConfigErrors. A non-retryable GuestConfigError
 * (the runner pool or GitHub App is wrong) records the error on the job and requests its destroy: a claimed clone
 * that can never be configured is only in the way.
 */
export const makeExecuteConfigure = (deps: ExecuteConfigureDeps) => {
  const { jobs, cloner, events, clock, resolveGuestinfo } = deps;
  const requestDestroy = makeRequestDestroy(deps);
  return async (
    message: { jobId: string; requestedAt?: string | undefined },
    ctx: { deadline: number; signal?: AbortSignal },
  ): Promise<CloneJob | undefined> => {
    const job = await jobs.get(message.jobId);
    if (!job?.vm || job.status !== 'SUCCEEDED' || job.destroyRequested || job.configuredAt) return job;
    const options = { ...(ctx.signal && { signal: ctx.signal }), operationId: operationIdOf(job) };
    const current = await cloner.readExtraConfig(job.vm.moref, options);
    if (current?.[JOB_ID_EXTRA_CONFIG_KEY] !== job.jobId) return job;
    if (current[CONFIGURED_EXTRA_CONFIG_KEY] === undefined) {
      let values: Record<string, string>;
      try {
        values = (await resolveGuestinfo?.(job, options)) ?? {};
      } catch (err) {
        if (!(err instanceof GuestConfigError) || err.retryable) throw err;
        const error = { code: err.code, message: err.message, retryable: false };
        await jobs.save(transition(job, { patch: { error }, now: clock.now() }));
        return requestDestroy(job.jobId);
      }
      await cloner.setExtraConfig(
        job.vm.moref,
        { ...values, [CONFIGURED_EXTRA_CONFIG_KEY]: clock.now().toISOString() },
        { ...options, deadline: ctx.deadline },
      );
    }
    const at = clock.now().toISOString();
    await events.publish(configuredEventFor(job, { at, requestedAt: message.requestedAt }));
    return jobs.save(transition(job, { patch: { configuredAt: at }, now: clock.now() }));
  };
};
