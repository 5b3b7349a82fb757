import { isAppError, RetryScheduledError } from '../../errors/app-error.js';
import type { CloneJob } from '../model/clone-job.js';
import type { VmCloner } from '../ports/vm-cloner.js';
import { makeDestroyJobClone } from './clean-up-clone.js';
import { type JobWriterDeps, makeJobWriter } from './job-announcer.js';

export type ExecuteDestroyDeps = JobWriterDeps & { cloner: VmCloner };

/**
 * A destroy that failed on vCenter (down, busy, a fault) is tried again this soon: paced by the worker like a clone's
 * retry (and renewed before the dead-letter queue), so a DELETE made during an outage completes soon after it ends.
 */
export const DESTROY_RETRY_SECONDS = 10;

/** The clone is still being made, or another delivery holds the attempt: those errors carry their own pace. */
const NOT_YET = new Set(['TASK_STILL_RUNNING', 'ATTEMPT_IN_PROGRESS']);

/**
 * Runs one delivery of a destroy message: powers off and destroys the job's clone, then records DESTROYED and
 * announces `Clone Destroyed`. A job whose DELETE came while it was RUNNING (`cleanupPending`) has its clone found
 * first: by its task (waited for while it runs) or by name. Only a VM that carries this job's id is touched, so a
 * moref vCenter reused for someone else's VM is left alone; a VM already gone counts as destroyed. Repeats are
 * harmless. Rejects with RetryScheduledError (in DESTROY_RETRY_SECONDS) on vCenter faults and transport errors, and
 * with TaskStillRunningError or AttemptInProgressError while the clone is still being made.
 */
export const makeExecuteDestroy = (deps: ExecuteDestroyDeps) => {
  const { jobs, cloner, clock } = deps;
  const { announce, finish } = makeJobWriter(deps);
  const destroyJobClone = makeDestroyJobClone({ cloner, clock });
  return async (jobId: string, ctx: { deadline: number; signal?: AbortSignal }): Promise<CloneJob | undefined> => {
    const job = await jobs.get(jobId);
    if (!job) return undefined;
    if (job.status === 'DESTROYED') return announce(job);
    if (job.status !== 'DESTROYING') return job;
    if (job.vm || job.cleanupPending) {
      try {
        await destroyJobClone(job, ctx);
      } catch (err) {
        if (isAppError(err) && NOT_YET.has(err.code)) throw err;
        throw new RetryScheduledError(job.jobId, DESTROY_RETRY_SECONDS, { cause: err });
      }
    }
    return finish(job, 'DESTROYED', {
      cleanupPending: undefined,
      attempt: undefined,
      destroyedAt: clock.now().toISOString(),
    });
  };
};
