import type { CloneJob } from '../model/clone-job.js';
import type { CloneMessage } from '../model/clone-message.js';
import { makeExecuteClone } from './execute-clone.js';
import { type ExecuteConfigureDeps, makeExecuteConfigure } from './execute-configure.js';
import { makeExecuteDestroy } from './execute-destroy.js';
import { makeRequestDestroy } from './request-destroy.js';

/** Everything the worker's use cases need; `resolveGuestinfo` also serves `configure` messages. */
export type HandleCloneMessageDeps = ExecuteConfigureDeps;

/**
 * The worker's one entry: clone, destroy or configure, as the message says. A clone whose DELETE arrived while it
 * was being made is destroyed right after it succeeds (the success is still recorded and announced first).
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
