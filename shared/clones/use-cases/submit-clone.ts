import type { Clock, IdGenerator } from '../../runtime/runtime.js';
import { type CloneJob, vmNameFor } from '../model/clone-job.js';
import type { CloneRequest } from '../model/clone-request.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';

export type SubmitCloneDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock; ids: IdGenerator };

/**
 * Records one QUEUED job per requested clone (`count`), then enqueues each id. A row is written before its
 * message so a worker never receives an id it cannot load; if an enqueue fails the job stays QUEUED and the
 * reconciler re-drives it. Resolves with the jobs in order.
 */
export const makeSubmitClone =
  ({ jobs, queue, clock, ids }: SubmitCloneDeps) =>
  async (request: CloneRequest): Promise<CloneJob[]> => {
    const now = clock.now().toISOString();
    const created = Array.from({ length: request.count }, (): CloneJob => {
      const jobId = ids.jobId();
      return {
        jobId,
        status: 'QUEUED',
        version: 1,
        request,
        vmName: vmNameFor(jobId, request),
        createdAt: now,
        updatedAt: now,
      };
    });
    for (const job of created) await jobs.create(job);
    await Promise.all(created.map((job) => queue.enqueue({ version: '1', jobId: job.jobId })));
    return created;
  };
