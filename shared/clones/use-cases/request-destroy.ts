import type { Principal } from '../../access/model/principal.js';
import { JobNotFoundError, StaleTransitionError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import type { CloneJob } from '../model/clone-job.js';
import { transition } from '../model/job-transition.js';
import type { CloneAccess } from '../ports/clone-access.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';

export type RequestDestroyDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock };

/** A DELETE that races the worker's writes reloads the job and decides again, this often at most. */
const TRIES = 4;

/**
 * `DELETE /v1/clones/{jobId}` and lease expiry. Safe to repeat.
 * - SUCCEEDED → DESTROYING, and a destroy message is queued (the worker, next to vCenter, powers the VM off and
 *   destroys it); DESTROYING is queued again (a lost message must not strand it).
 * - QUEUED → DESTROYED at once: no clone exists before the job runs. The destroy message makes the worker announce it.
 * - RUNNING is marked `destroyRequested` and a clone message is queued, so a delivery destroys the clone within
 *   seconds of it existing (the delivery that is making it does the same when it next writes the job).
 * - FAILED and DESTROYED have nothing to destroy and are returned as they are.
 * A write that loses a race with the worker is retried on the reloaded job. Rejects with JobNotFoundError, or
 * StaleTransitionError when the job kept moving.
 */
export const makeRequestDestroy = ({ jobs, queue, clock }: RequestDestroyDeps) => {
  const once = async (jobId: string): Promise<CloneJob> => {
    const job = await jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    switch (job.status) {
      case 'SUCCEEDED': {
        const destroying = await jobs.save(transition(job, { to: 'DESTROYING', now: clock.now() }));
        await queue.enqueue({ version: '1', jobId, action: 'destroy' });
        return destroying;
      }
      case 'DESTROYING':
        await queue.enqueue({ version: '1', jobId, action: 'destroy' });
        return job;
      case 'QUEUED': {
        const destroyed = await jobs.save(
          transition(job, {
            to: 'DESTROYED',
            patch: { destroyRequested: true, destroyedAt: clock.now().toISOString() },
            now: clock.now(),
          }),
        );
        await queue.enqueue({ version: '1', jobId, action: 'destroy' });
        return destroyed;
      }
      case 'RUNNING': {
        const marked = job.destroyRequested
          ? job
          : await jobs.save(transition(job, { patch: { destroyRequested: true }, now: clock.now() }));
        await queue.enqueue({ version: '1', jobId, action: 'clone' });
        return marked;
      }
      case 'FAILED':
      case 'DESTROYED':
        return job;
      default:
        return job.status satisfies never;
    }
  };
  return async (jobId: string): Promise<CloneJob> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(jobId);
      } catch (err) {
        if (!(err instanceof StaleTransitionError) || attempt >= TRIES) throw err;
      }
    }
  };
};

/**
 * `DELETE /v1/clones/{jobId}` for a caller: as {@link makeRequestDestroy}, once `principal` is allowed to destroy the
 * job (AccessDeniedError, 403, otherwise: nothing changes, nothing is queued).
 */
export const makeDestroyClone = (deps: RequestDestroyDeps & { access: Pick<CloneAccess, 'authorize'> }) => {
  const requestDestroy = makeRequestDestroy(deps);
  return async (jobId: string, principal: Principal): Promise<CloneJob> => {
    const job = await deps.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    deps.access.authorize(principal, 'destroy', job);
    return requestDestroy(jobId);
  };
};
