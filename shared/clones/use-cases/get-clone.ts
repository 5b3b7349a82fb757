import { JobNotFoundError } from '../../errors/app-error.js';
import type { CloneJob } from '../model/clone-job.js';
import type { JobRepository } from '../ports/job-repository.js';

/** Loads a job; rejects with JobNotFoundError when there is none. */
export const makeGetClone =
  ({ jobs }: { jobs: JobRepository }) =>
  async (jobId: string): Promise<CloneJob> => {
    const job = await jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  };
