import { type CloneJob, vmNameFor } from '../domain/clone-job.js';
import type { CloneRequest } from '../domain/clone-request.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';

export type SubmitCloneDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock; ids: IdGenerator };

/**
 * Records a QUEUED job, then enqueues its id. The row is written first so a worker never receives an id it
 * cannot load; if the enqueue fails the job stays QUEUED and the reconciler re-drives it.
 */
export const makeSubmitClone =
  ({ jobs, queue, clock, ids }: SubmitCloneDeps) =>
  async (request: CloneRequest): Promise<CloneJob> => {
    const now = clock.now().toISOString();
    const jobId = ids.jobId();
    const job: CloneJob = {
      jobId,
      status: 'QUEUED',
      version: 1,
      request,
      vmName: vmNameFor(jobId, request),
      createdAt: now,
      updatedAt: now,
    };
    await jobs.create(job);
    await queue.enqueue({ version: '1', jobId });
    return job;
  };
