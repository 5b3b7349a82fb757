import type { Principal } from '../../access/model/principal.js';
import { JobNotFoundError } from '../../errors/app-error.js';
import type { CloneJob } from '../model/clone-job.js';
import type { CloneAccess } from '../ports/clone-access.js';
import type { JobRepository } from '../ports/job-repository.js';

/** Loads a job `principal` may read; rejects with JobNotFoundError, or AccessDeniedError (403) naming the rule. */
export const makeGetClone =
  ({ jobs, access }: { jobs: JobRepository; access: Pick<CloneAccess, 'authorize'> }) =>
  async (jobId: string, principal: Principal): Promise<CloneJob> => {
    const job = await jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    access.authorize(principal, 'read', job);
    return job;
  };
