import { type ClonedVm, type CloneJob, isTerminal, type JobError, type JobStatus } from '../domain/clone-job.js';
import type { CloneMessage } from '../domain/clone-message.js';
import { guestinfoExtraConfig } from '../domain/clone-request.js';
import { isAppError, TaskStillRunningError, type VcenterFaultError } from '../domain/errors.js';
import { cloneEventFor } from '../events/clone-events.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { JobPatch, JobRepository } from '../ports/job-repository.js';
import type { Clock } from '../ports/runtime.js';
import type { ClonePlan, VmCallOptions, VmCloner } from '../ports/vm-cloner.js';

/** extraConfig key that marks a VM as the clone of one job; reconciliation adopts only VMs that carry it. */
export const JOB_ID_EXTRA_CONFIG_KEY = 'instaclone.jobId';

export type ExecuteCloneDeps = { jobs: JobRepository; cloner: VmCloner; events: EventPublisher; clock: Clock };
export type ExecuteCloneContext = { deadline: number; signal?: AbortSignal };

/** The plan is a pure function of the job, so every attempt asks vCenter for the same VM. */
export const clonePlanFor = (job: CloneJob): ClonePlan => {
  const { source, folder, nics = [], guestinfo } = job.request;
  return {
    source: source.path !== undefined ? { path: source.path } : { moref: source.moref ?? '' },
    name: job.vmName,
    ...(folder !== undefined && { folder }),
    nics: nics.map((n) => ({ key: n.key, ...(n.mac !== undefined && n.mac !== 'auto' && { mac: n.mac }) })),
    extraConfig: { ...guestinfoExtraConfig(guestinfo), [JOB_ID_EXTRA_CONFIG_KEY]: job.jobId },
  };
};

const toJobError = (err: { code: string; message: string; retryable: boolean; faultType?: string }): JobError => ({
  code: err.code,
  ...(err.faultType !== undefined && { fault: err.faultType }),
  message: err.message,
  retryable: err.retryable,
});

const isReconcileFault = (err: unknown): err is VcenterFaultError =>
  isAppError(err) && err.code === 'VCENTER_FAULT' && (err as VcenterFaultError).classification === 'reconcile';

/**
 * Runs one delivery of a clone message, following design §6, so that at-least-once delivery yields exactly one VM:
 * a terminal job is only (re-)announced; a job with a task waits on it; otherwise a VM of the job's deterministic
 * name is looked up first and cloned only when absent, with the task recorded the moment it exists.
 *
 * Resolves with the job as stored (undefined when the job does not exist) once its state is final and announced.
 * Rejects, so SQS redelivers, with a retryable error: retryable vCenter faults, TaskStillRunningError at the
 * deadline, StaleTransitionError when another delivery moved the job, or any unexpected error.
 */
export const makeExecuteClone = ({ jobs, cloner, events, clock }: ExecuteCloneDeps) => {
  const update = (job: CloneJob, to: JobStatus | undefined, patch: JobPatch): Promise<CloneJob> =>
    jobs.update(job, { ...(to && { to }), patch, now: clock.now() });

  const announce = async (job: CloneJob): Promise<CloneJob> => {
    if (job.eventPublished) return job;
    await events.publish(cloneEventFor(job));
    return update(job, undefined, { eventPublished: true });
  };

  const finish = async (job: CloneJob, to: 'SUCCEEDED' | 'FAILED', patch: JobPatch): Promise<CloneJob> =>
    announce(await update(job, to, patch));

  const adopt = (job: CloneJob, vm: ClonedVm & { extraConfig: Record<string, string> }): Promise<CloneJob> => {
    if (vm.extraConfig[JOB_ID_EXTRA_CONFIG_KEY] === job.jobId) {
      return finish(job, 'SUCCEEDED', { vm: { moref: vm.moref, name: vm.name, nics: vm.nics } });
    }
    const message = `A VM named '${job.vmName}' already exists in the target folder and was not made by this job`;
    return finish(job, 'FAILED', {
      error: { code: 'VCENTER_FAULT', fault: 'DuplicateName', message, retryable: false },
    });
  };

  const onFault = async (job: CloneJob, plan: ClonePlan, err: unknown, options: VmCallOptions): Promise<CloneJob> => {
    if (isReconcileFault(err)) {
      const existing = await cloner.findClone(plan, options);
      if (existing) return adopt(job, existing);
    }
    if (isAppError(err) && !err.retryable)
      return finish(job, 'FAILED', { error: toJobError(err as VcenterFaultError) });
    // A failed task cannot be waited on again: forget it so the next delivery starts afresh.
    if (job.task) await update(job, undefined, { task: undefined });
    throw err;
  };

  return async (message: CloneMessage, { deadline, signal }: ExecuteCloneContext): Promise<CloneJob | undefined> => {
    let job = await jobs.get(message.jobId);
    if (!job) return undefined;
    if (isTerminal(job.status)) return announce(job);
    // Only a RUNNING job can have a VM from an earlier attempt: QUEUED -> RUNNING comes before any clone.
    const firstAttempt = job.status === 'QUEUED';
    if (firstAttempt) job = await update(job, 'RUNNING', {});

    const plan = clonePlanFor(job);
    const options: VmCallOptions = { ...(signal && { signal }), operationId: job.jobId };
    if (!job.task) {
      const existing = firstAttempt ? undefined : await cloner.findClone(plan, options);
      if (existing) return adopt(job, existing);
      try {
        const { taskRef } = await cloner.startClone(plan, options);
        job = await update(job, undefined, { task: { moref: taskRef } });
      } catch (err) {
        return onFault(job, plan, err, options);
      }
    }
    const taskRef = job.task?.moref ?? '';
    const outcome = await cloner.waitForClone(taskRef, { ...options, deadline });
    if (outcome.state === 'running') throw new TaskStillRunningError(job.jobId, taskRef);
    if (outcome.state === 'succeeded') return finish(job, 'SUCCEEDED', { vm: outcome.vm });
    return onFault(job, plan, outcome.error, options);
  };
};

export type ExecuteClone = ReturnType<typeof makeExecuteClone>;
