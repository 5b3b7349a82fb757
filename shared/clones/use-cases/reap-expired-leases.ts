import type { Clock } from '../../runtime/runtime.js';
import type { JobRepository } from '../ports/job-repository.js';

const PAGE = 100;

/**
 * Lease housekeeping: requests the destruction of every SUCCEEDED clone whose `leaseExpiresAt` has passed.
 * `requestDestroy` is the DELETE use case, so a lease ends exactly like a DELETE. Resolves with the job ids.
 */
export const makeReapExpiredLeases =
  ({
    jobs,
    clock,
    requestDestroy,
  }: {
    jobs: JobRepository;
    clock: Clock;
    requestDestroy: (jobId: string) => Promise<unknown>;
  }) =>
  async (): Promise<string[]> => {
    const now = clock.now().getTime();
    const reaped: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await jobs.listByStatus('SUCCEEDED', { limit: PAGE, ...(cursor && { cursor }) });
      for (const job of page.jobs) {
        if (!job.leaseExpiresAt || Date.parse(job.leaseExpiresAt) > now) continue;
        await requestDestroy(job.jobId);
        reaped.push(job.jobId);
      }
      cursor = page.cursor;
    } while (cursor);
    return reaped;
  };
