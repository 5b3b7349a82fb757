import { type CloneJob, isCloneFinished } from '../model/clone-job.js';
import type { CloneMessage } from '../model/clone-message.js';
import { givingUp } from '../model/retry-policy.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import { type JobWriterDeps, makeJobWriter } from './job-announcer.js';

export type EndDeadLetteredDeps = JobWriterDeps & { queue: CloneQueue };

/**
 * A clone message reached the dead-letter queue: every delivery the queue allows ended without the worker answering
 * (it crashed, or the invocation timed out, each time). Its job, if still unfinished, ends FAILED with
 * `RETRIES_EXHAUSTED` and its last error, and `Clone Failed` is published; a RUNNING job's clone, if it has one, is
 * then destroyed by the worker (a clone message is queued for that). A finished job that was never announced is
 * announced. Destroy and configure messages change nothing here: the reconciler re-drives DESTROYING jobs.
 * Resolves with the job as stored; rejects when the table, the bus or the queue fail (the DLQ redelivers).
 */
export const makeEndDeadLettered = (deps: EndDeadLetteredDeps) => {
  const { jobs, queue, clock } = deps;
  const { announce, finish } = makeJobWriter(deps);
  return async (message: CloneMessage): Promise<CloneJob | undefined> => {
    const job = await jobs.get(message.jobId);
    if (!job) return undefined;
    if (isCloneFinished(job.status)) return announce(job);
    if (message.action !== 'clone') return job;
    const reason =
      'its message went to the dead-letter queue: the worker did not finish any of its deliveries (crashed or timed out)';
    const ended = await finish(job, 'FAILED', givingUp(job, { code: 'RETRIES_EXHAUSTED', reason, now: clock.now() }));
    if (ended.cleanupPending) await queue.enqueue({ version: '1', jobId: job.jobId, action: 'clone' });
    return ended;
  };
};
