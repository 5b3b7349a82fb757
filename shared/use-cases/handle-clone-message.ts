import type { CloneJob } from '../domain/clone-job.js';
import type { CloneMessage } from '../domain/clone-message.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { Clock } from '../ports/runtime.js';
import type { VmCloner } from '../ports/vm-cloner.js';
import { makeExecuteClone } from './execute-clone.js';
import { makeExecuteConfigure } from './execute-configure.js';
import { makeExecuteDestroy } from './execute-destroy.js';
import { makeRequestDestroy } from './request-destroy.js';

export type HandleCloneMessageDeps = {
  jobs: JobRepository;
  queue: CloneQueue;
  cloner: VmCloner;
  events: EventPublisher;
  clock: Clock;
  /** See ExecuteCloneDeps.resolveGuestinfo; also resolves the late values of a `configure` message. */
  resolveGuestinfo?: (job: CloneJob, options: { signal?: AbortSignal }) => Promise<Record<string, string>>;
};

/**
 * The worker's one entry: clone, destroy or configure, as the message says. A clone whose DELETE arrived while it was being
 * made is destroyed right after it succeeds (the success is still recorded and announced first).
 * Resolves with the job as stored; rejects as the use cases do, so SQS redelivers.
 */
export const makeHandleCloneMessage = (deps: HandleCloneMessageDeps) => {
  const executeClone = makeExecuteClone(deps);
  const executeDestroy = makeExecuteDestroy(deps);
  const executeConfigure = makeExecuteConfigure(deps);
  const requestDestroy = makeRequestDestroy(deps);
  return async (
    message: CloneMessage,
    ctx: { deadline: number; signal?: AbortSignal },
  ): Promise<CloneJob | undefined> => {
    if (message.action === 'destroy') return executeDestroy(message.jobId, ctx);
    if (message.action === 'configure') return executeConfigure(message, ctx);
    const job = await executeClone(message, ctx);
    if (job?.status !== 'SUCCEEDED' || !job.destroyRequested) return job;
    await requestDestroy(job.jobId);
    return executeDestroy(job.jobId, ctx);
  };
};
