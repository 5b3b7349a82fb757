import { StaleTransitionError } from '../../errors/app-error.js';
import type { CloneJob } from '../model/clone-job.js';
import type { CloneMessage } from '../model/clone-message.js';
import { makeCleanUpClone } from './clean-up-clone.js';
import { type ExecuteCloneContext, type ExecuteCloneDeps, makeExecuteClone } from './execute-clone.js';
import { type ExecuteConfigureDeps, makeExecuteConfigure } from './execute-configure.js';
import { makeExecuteDestroy } from './execute-destroy.js';
import { makeRequestDestroy } from './request-destroy.js';

/** Everything the worker's use cases need; `resolveGuestinfo` also serves `configure` messages. */
export type HandleCloneMessageDeps = ExecuteConfigureDeps & Pick<ExecuteCloneDeps, 'retryPolicy'>;

/** A delivery that lost a race (a DELETE, another delivery) reloads the job and decides again, this often at most. */
const DECISIONS_PER_DELIVERY = 3;

/**
 * The worker's one entry: clone, destroy or configure, as the message says. A clone whose DELETE arrived while it
 * was being made is destroyed as soon as it exists; a job that ended while a clone may exist for it has that clone
 * destroyed (`cleanupPending`). A write that finds the job moved (StaleTransitionError) makes the delivery reload the
 * job and decide again at once, instead of waiting for SQS. Resolves with the job as stored; rejects as the use
 * cases do, so SQS redelivers.
 */
export const makeHandleCloneMessage = (deps: HandleCloneMessageDeps) => {
  const executeClone = makeExecuteClone(deps);
  const executeDestroy = makeExecuteDestroy(deps);
  const executeConfigure = makeExecuteConfigure(deps);
  const requestDestroy = makeRequestDestroy(deps);
  const cleanUpClone = makeCleanUpClone(deps);

  const decide = async (message: CloneMessage, ctx: ExecuteCloneContext) => {
    if (message.action === 'configure') return executeConfigure(message, ctx);
    let job =
      message.action === 'destroy' ? await executeDestroy(message.jobId, ctx) : await executeClone(message, ctx);
    if (job?.status === 'SUCCEEDED' && job.destroyRequested) {
      await requestDestroy(job.jobId);
      job = await executeDestroy(job.jobId, ctx);
    } else if (job?.status === 'DESTROYING') {
      // A DELETE overtook the clone: destroy it now, whichever message brought the job here.
      job = await executeDestroy(job.jobId, ctx);
    }
    const ended = job?.status === 'FAILED' || job?.status === 'DESTROYED';
    return job && ended && job.cleanupPending ? cleanUpClone(job, ctx) : job;
  };

  return async (message: CloneMessage, ctx: ExecuteCloneContext): Promise<CloneJob | undefined> => {
    for (let decision = 1; ; decision++) {
      try {
        return await decide(message, ctx);
      } catch (err) {
        if (!(err instanceof StaleTransitionError) || decision >= DECISIONS_PER_DELIVERY) throw err;
      }
    }
  };
};
