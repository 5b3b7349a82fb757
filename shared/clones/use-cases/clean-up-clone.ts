import { operationIdOf } from '../../access/model/grant.js';
import {
  AttemptInProgressError,
  isAppError,
  RetryScheduledError,
  TaskStillRunningError,
  type VcenterFaultError,
} from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import type { CloneJob } from '../model/clone-job.js';
import { transition } from '../model/job-transition.js';
import { deadlineOf } from '../model/retry-policy.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { VmCloner } from '../ports/vm-cloner.js';
import { clonePlanFor, JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';

export type CleanUpCloneDeps = { jobs: JobRepository; cloner: VmCloner; clock: Clock };
type Ctx = { deadline: number; signal?: AbortSignal };

/** A failed clean-up is tried again this long after (vCenter may be down for a while; no hurry, no budget). */
export const CLEANUP_RETRY_SECONDS = 60;
/** A clean-up still failing this long after the job's deadline is given up (vCenter gone for good, or the URL wrong). */
export const CLEANUP_GIVE_UP_MS = 24 * 60 * 60_000;

const isFaultOf = (err: unknown, fault: string): boolean =>
  isAppError(err) && err.code === 'VCENTER_FAULT' && (err as VcenterFaultError).faultType === fault;

/**
 * Destroys the clone a job may have, wherever the job got to: its recorded VM; else the VM its recorded task made
 * (waiting for a running task: TaskStillRunningError); else a VM of the job's name in its folder. Only a VM that
 * carries the job's id is touched (`foreign` otherwise). `none` when there is no clone. Rejects with
 * AttemptInProgressError while another delivery may be starting the clone, and on vCenter faults.
 */
export const makeDestroyJobClone =
  ({ cloner, clock }: Pick<CleanUpCloneDeps, 'cloner' | 'clock'>) =>
  async (job: CloneJob, ctx: Ctx): Promise<'destroyed' | 'gone' | 'foreign' | 'none'> => {
    const options = { ...(ctx.signal && { signal: ctx.signal }), operationId: operationIdOf(job) };
    const destroy = (moref: string) =>
      cloner.destroyClone(moref, { key: JOB_ID_EXTRA_CONFIG_KEY, value: job.jobId }, { ...options, ...ctx });
    if (job.vm) {
      const outcome = await destroy(job.vm.moref);
      if (outcome !== 'foreign' || !job.task) return outcome;
      // A clone vCenter made without our marker (SPEC_NOT_APPLIED) is still ours when our task made it.
      const owner = { task: job.task.moref, unmarked: JOB_ID_EXTRA_CONFIG_KEY };
      const byTask = cloner.destroyClone(job.vm.moref, owner, { ...options, ...ctx });
      return byTask.catch((err: unknown) => {
        if (isFaultOf(err, 'ManagedObjectNotFound')) return 'foreign' as const;
        throw err;
      });
    }
    if (job.task) {
      try {
        const outcome = await cloner.waitForClone(job.task.moref, { ...options, deadline: ctx.deadline });
        if (outcome.state === 'running') throw new TaskStillRunningError(job.jobId, job.task.moref);
        if (outcome.state === 'succeeded') return destroy(outcome.vm.moref);
      } catch (err) {
        // vCenter forgets finished tasks after a while: then the VM is looked up by name.
        if (!isFaultOf(err, 'ManagedObjectNotFound')) throw err;
      }
    } else if (job.attempt && Date.parse(job.attempt.until) > clock.now().getTime()) {
      throw new AttemptInProgressError(job.jobId);
    }
    const found = await cloner.findClone(clonePlanFor(job), options);
    return found ? destroy(found.moref) : 'none';
  };

/**
 * Destroys the clone of a job that ended (FAILED, or DESTROYED by an early DELETE) while a clone may exist for it
 * (`cleanupPending`), then clears the mark. Resolves with the job as stored. A failure is tried again in
 * {@link CLEANUP_RETRY_SECONDS} (RetryScheduledError; not counted against the job's attempts); a task or another
 * delivery still busy rejects as such; a day past the deadline the clean-up is given up and the mark cleared.
 */
export const makeCleanUpClone = ({ jobs, cloner, clock }: CleanUpCloneDeps) => {
  const destroyJobClone = makeDestroyJobClone({ cloner, clock });
  return async (job: CloneJob, ctx: Ctx): Promise<CloneJob> => {
    if (!job.cleanupPending) return job;
    if (clock.now().getTime() > deadlineOf(job) + CLEANUP_GIVE_UP_MS)
      return jobs.save(transition(job, { patch: { cleanupPending: undefined }, now: clock.now() }));
    try {
      await destroyJobClone(job, ctx);
    } catch (err) {
      const notYet = isAppError(err) && (err.code === 'TASK_STILL_RUNNING' || err.code === 'ATTEMPT_IN_PROGRESS');
      throw notYet ? err : new RetryScheduledError(job.jobId, CLEANUP_RETRY_SECONDS, { cause: err });
    }
    return jobs.save(transition(job, { patch: { cleanupPending: undefined }, now: clock.now() }));
  };
};
