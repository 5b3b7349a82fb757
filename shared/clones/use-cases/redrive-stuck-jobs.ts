import type { Clock } from '../../runtime/runtime.js';
import { type CloneJob, isCloneFinished } from '../model/clone-job.js';
import { transition } from '../model/job-transition.js';
import { givingUp, overdue, waitingFor } from '../model/retry-policy.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';

export type RedriveDeps = { jobs: JobRepository; queue: CloneQueue; clock: Clock };

const PAGE = 100;

/** A job that still needs the worker, and why. */
type Stuck = { job: CloneJob; late: ReturnType<typeof overdue> };

/**
 * The table is the source of truth and the queue only delivery: re-enqueues every job that still needs the worker
 * and was not updated for `olderThanMs` — QUEUED, RUNNING or DESTROYING, finished without its event published (a
 * worker that died between the two), or ended with a clone still to destroy (`cleanupPending`) — so a lost message,
 * a failed enqueue or a restart loses no job and no event. It never starts an attempt past a job's deadline or retry
 * budget: such a job (whenever it was last updated) is ended FAILED here (`DEADLINE_EXCEEDED`, `RETRIES_EXHAUSTED`)
 * and its message only makes the worker announce it and destroy a clone it may have. A job waiting for a scheduled
 * retry (`nextAttemptAt` ahead) is left to it, unless `olderThanMs` is 0 (every unsettled job then gets a message). A
 * job still being worked on gets a duplicate message, which the
 * worker's state checks make harmless. Resolves with the re-driven job ids.
 */
export const makeRedriveStuckJobs =
  ({ jobs, queue, clock }: RedriveDeps) =>
  async ({ olderThanMs }: { olderThanMs: number }): Promise<string[]> => {
    const now = clock.now();
    const cutoff = now.getTime() - olderThanMs;
    const stuck: Stuck[] = [];
    let cursor: string | undefined;
    do {
      const page = await jobs.listUnsettled({ limit: PAGE, ...(cursor && { cursor }) });
      for (const job of page.jobs) {
        const late = isCloneFinished(job.status) ? undefined : overdue(job, now);
        // With olderThanMs 0 (a local start, whose in-memory queue lost every message) a job waiting for its retry
        // needs a message too: the worker holds an early one until the retry is due.
        const retryAhead =
          olderThanMs > 0 && job.nextAttemptAt !== undefined && Date.parse(job.nextAttemptAt) > now.getTime();
        if (late || (Date.parse(job.updatedAt) <= cutoff && !retryAhead)) stuck.push({ job, late });
      }
      cursor = page.cursor;
    } while (cursor);
    const redriven: string[] = [];
    for (const { job, late } of stuck) {
      // A lost race (the worker wrote first) is fine: the message below makes the worker decide.
      if (late)
        await jobs
          .save(
            transition(job, { to: 'FAILED', patch: givingUp(job, { code: late, reason: waitingFor(job), now }), now }),
          )
          .catch(() => undefined);
      const destroying = job.status === 'DESTROYING' || job.status === 'DESTROYED';
      await queue.enqueue({ version: '1', jobId: job.jobId, action: destroying ? 'destroy' : 'clone' });
      redriven.push(job.jobId);
    }
    return redriven;
  };
