import type { Clock } from '../../runtime/runtime.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';

export type RedriveDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock };

const PAGE = 100;

/**
 * The table is the source of truth and the queue only delivery: re-enqueues every job that still needs the worker
 * and was not updated for `olderThanMs` — QUEUED, RUNNING or DESTROYING, or finished without its event published
 * (a worker that died between the two) — so a lost message, a failed enqueue or a restart loses no job and no event.
 * A job that is in fact still being worked on gets a duplicate message, which the worker's state checks make harmless.
 * Resolves with the re-driven job ids.
 */
export const makeRedriveStuckJobs =
  ({ jobs, queue, clock }: RedriveDeps) =>
  async ({ olderThanMs }: { olderThanMs: number }): Promise<string[]> => {
    const cutoff = clock.now().getTime() - olderThanMs;
    const redriven: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await jobs.listUnsettled({ limit: PAGE, ...(cursor && { cursor }) });
      for (const job of page.jobs) {
        if (Date.parse(job.updatedAt) > cutoff) continue;
        const destroying = job.status === 'DESTROYING' || job.status === 'DESTROYED';
        await queue.enqueue({ version: '1', jobId: job.jobId, action: destroying ? 'destroy' : 'clone' });
        redriven.push(job.jobId);
      }
      cursor = page.cursor;
    } while (cursor);
    return redriven;
  };
