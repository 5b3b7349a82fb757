import { JobNotFoundError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import type { CloneJob } from '../model/clone-job.js';
import { transition } from '../model/job-transition.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';

export type RequestDestroyDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock };

/**
 * `DELETE /v1/clones/{jobId}` and lease expiry. Safe to repeat. A SUCCEEDED job moves to DESTROYING and a
 * destroy message is queued (the worker, next to vCenter, powers the VM off and destroys it); a job still
 * QUEUED or RUNNING is marked so the worker destroys the clone as soon as it exists; DESTROYING is queued
 * again (a lost message must not strand it); FAILED and DESTROYED have nothing to destroy and are returned as they are.
 * Rejects with JobNotFoundError, or StaleTransitionError when the job moved meanwhile (the caller may retry).
 */
export const makeRequestDestroy =
  ({ jobs, queue, clock }: RequestDestroyDeps) =>
  async (jobId: string): Promise<CloneJob> => {
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
      case 'QUEUED':
      case 'RUNNING':
        if (job.destroyRequested) return job;
        return jobs.save(transition(job, { patch: { destroyRequested: true }, now: clock.now() }));
      case 'FAILED':
      case 'DESTROYED':
        return job;
      default:
        return job.status satisfies never;
    }
  };
