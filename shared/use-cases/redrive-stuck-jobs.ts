import type { JobStatus } from '../domain/clone-job.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { Clock } from '../ports/runtime.js';

export type RedriveDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock };

const PAGE = 100;
const STUCK_STATES: JobStatus[] = ['QUEUED', 'RUNNING', 'DESTROYING'];

/**
 * The table is the source of truth and the queue only delivery: re-enqueues every QUEUED, RUNNING or DESTROYING job not
 * updated for `olderThanMs`, so a lost message, a failed enqueue or a restart loses no job. A job that is in
 * fact still being worked on gets a duplicate message, which the worker's state checks make harmless.
 * Resolves with the re-driven job ids.
 */
export const makeRedriveStuckJobs =
  ({ jobs, queue, clock }: RedriveDeps) =>
  async ({ olderThanMs }: { olderThanMs: number }): Promise<string[]> => {
    const cutoff = clock.now().getTime() - olderThanMs;
    const redriven: string[] = [];
    for (const status of STUCK_STATES) {
      let cursor: string | undefined;
      do {
        const page = await jobs.listByStatus(status, { limit: PAGE, ...(cursor && { cursor }) });
        for (const job of page.jobs) {
          if (Date.parse(job.updatedAt) > cutoff) continue;
          await queue.enqueue({
            version: '1',
            jobId: job.jobId,
            action: status === 'DESTROYING' ? 'destroy' : 'clone',
          });
          redriven.push(job.jobId);
        }
        cursor = page.cursor;
      } while (cursor);
    }
    return redriven;
  };
