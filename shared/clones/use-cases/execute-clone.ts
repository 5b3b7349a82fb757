import {
  AttemptInProgressError,
  isAppError,
  TaskStillRunningError,
  type VcenterFaultError,
  WaitingForGuestError,
} from '../../errors/app-error.js';
import type { EventPublisher } from '../../events/event-publisher.js';
import type { Clock } from '../../runtime/runtime.js';
import { type ClonedVm, type CloneJob, isCloneFinished, type JobError } from '../model/clone-job.js';
import type { CloneMessage } from '../model/clone-message.js';
import type { GuestinfoResolver } from '../ports/guestinfo-resolver.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { ClonePlan, FoundVm, VmCallOptions, VmCloner } from '../ports/vm-cloner.js';
import { clonePlanFor, JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';
import { makeJobWriter } from './job-announcer.js';

export { clonePlanFor, JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';

export type ExecuteCloneDeps = {
  jobs: JobRepository;
  cloner: VmCloner;
  events: EventPublisher;
  clock: Clock;
  resolveGuestinfo?: GuestinfoResolver;
};
export type ExecuteCloneContext = { deadline: number; signal?: AbortSignal };

/**
 * How long a delivery holds the right to start a clone. It only has to cover claim → InstantClone_Task answered
 * → task recorded (a few round trips; vCenter answers the call with a task moref at once), and it is what a
 * crashed worker's job waits before another delivery takes over, so it is short.
 */
export const ATTEMPT_LEASE_MS = 20_000;

/** How often a `waitFor: ip` job asks vCenter for the guest's IP. */
export const GUEST_POLL_MS = 500;

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
 * a finished job is only (re-)announced; a job with a task waits on it; otherwise a VM of the job's deterministic
 * name is looked up first and cloned only when absent, with the task recorded the moment it exists. With
 * `waitFor: ip` the job succeeds only once the guest reports an IP other than the source's.
 *
 * Resolves with the job as stored (undefined when there is no such job) once its state is final and announced.
 * Rejects, so SQS redelivers, with a retryable error: retryable vCenter faults, TaskStillRunningError or
 * WaitingForGuestError at the deadline, StaleTransitionError when another delivery moved the job, or anything unexpected.
 */
export const makeExecuteClone = ({ jobs, cloner, events, clock, resolveGuestinfo }: ExecuteCloneDeps) => {
  const { update, announce, finish } = makeJobWriter({ jobs, events, clock });

  const succeed = (job: CloneJob, vm: ClonedVm): Promise<CloneJob> => {
    const now = clock.now();
    const ttl = job.request.ttlMinutes;
    return finish(job, 'SUCCEEDED', {
      vm,
      readyAt: now.toISOString(),
      ...(ttl !== undefined && { leaseExpiresAt: new Date(now.getTime() + ttl * 60_000).toISOString() }),
    });
  };

  const adopt = (job: CloneJob, vm: FoundVm, ctx: ExecuteCloneContext, options: VmCallOptions): Promise<CloneJob> => {
    if (vm.extraConfig[JOB_ID_EXTRA_CONFIG_KEY] === job.jobId) {
      return cloned(job, { moref: vm.moref, name: vm.name, nics: vm.nics }, ctx, options);
    }
    const message = `A VM named '${job.vmName}' already exists in the target folder and was not made by this job`;
    return finish(job, 'FAILED', {
      error: { code: 'VCENTER_FAULT', fault: 'DuplicateName', message, retryable: false },
    });
  };

  /** The clone exists: done, or (waitFor ip) wait for its guest to take an IP other than the source's. */
  const cloned = async (job: CloneJob, vm: ClonedVm, ctx: ExecuteCloneContext, options: VmCallOptions) => {
    if (job.request.waitFor !== 'ip') return succeed(job, vm);
    let current = job.vm ? job : await update(job, undefined, { vm });
    for (;;) {
      const { ipAddress } = await cloner.guestIdentity(vm.moref, options);
      if (ipAddress && ipAddress !== current.sourceIp) {
        // The guest has its own identity now: NICs cloned disconnected (to avoid a clash) can come up.
        const disconnected = clonePlanFor(current).nics.filter((n) => n.connected === false);
        if (disconnected.length > 0)
          await cloner.reconnectNics(vm.moref, disconnected, { ...options, deadline: ctx.deadline });
        return succeed(current, { ...vm, ipAddress });
      }
      if (clock.now().getTime() + GUEST_POLL_MS >= ctx.deadline) throw new WaitingForGuestError(job.jobId);
      await clock.sleep(GUEST_POLL_MS, ctx.signal);
      current = current.vm ? current : await update(current, undefined, { vm });
    }
  };

  /**
   * A failed clone task may still have left its VM behind (vSphere's "small window at the end" of an instant
   * clone), and DuplicateName may mean an earlier attempt succeeded: either way, look before deciding.
   */
  const onFault = async (
    job: CloneJob,
    plan: ClonePlan,
    err: unknown,
    ctx: ExecuteCloneContext,
    options: VmCallOptions,
    taskFailed = false,
  ) => {
    if (taskFailed || isReconcileFault(err)) {
      const existing = await cloner.findClone(plan, options);
      if (existing) return adopt(job, existing, ctx, options);
    }
    if (isAppError(err) && !err.retryable)
      return finish(job, 'FAILED', { error: toJobError(err as VcenterFaultError) });
    // A failed task cannot be waited on again: forget it so the next delivery starts afresh.
    if (job.task || job.attempt) await update(job, undefined, { task: undefined, attempt: undefined });
    throw err;
  };

  return async (message: CloneMessage, ctx: ExecuteCloneContext): Promise<CloneJob | undefined> => {
    let job = await jobs.get(message.jobId);
    if (!job) return undefined;
    if (isCloneFinished(job.status)) return announce(job);
    // Only a RUNNING job can have a VM from an earlier attempt: QUEUED -> RUNNING comes before any clone.
    const firstAttempt = job.status === 'QUEUED';
    const attempt = { until: new Date(clock.now().getTime() + ATTEMPT_LEASE_MS).toISOString() };
    if (firstAttempt) job = await update(job, 'RUNNING', { attempt });

    const plan = clonePlanFor(job);
    const options: VmCallOptions = { ...(ctx.signal && { signal: ctx.signal }), operationId: job.jobId };
    if (job.vm) return cloned(job, job.vm, ctx, options);
    if (!job.task) {
      // Only the delivery holding the attempt may start a clone; the write is conditional on the job's version.
      if (!firstAttempt) {
        if (job.attempt && Date.parse(job.attempt.until) > clock.now().getTime())
          throw new AttemptInProgressError(job.jobId);
        job = await update(job, undefined, { attempt });
      }
      const existing = firstAttempt ? undefined : await cloner.findClone(plan, options);
      if (existing) return adopt(job, existing, ctx, options);
      try {
        const sourceIp =
          job.request.waitFor === 'ip' ? (await cloner.sourceIdentity(plan, options)).ipAddress : undefined;
        const secret = resolveGuestinfo ? await resolveGuestinfo(job, ctx.signal ? { signal: ctx.signal } : {}) : {};
        const { taskRef } = await cloner.startClone(
          { ...plan, extraConfig: { ...plan.extraConfig, ...secret } },
          options,
        );
        job = await update(job, undefined, { task: { moref: taskRef }, ...(sourceIp && { sourceIp }) });
      } catch (err) {
        return onFault(job, plan, err, ctx, options);
      }
    }
    const taskRef = job.task?.moref ?? '';
    const outcome = await cloner.waitForClone(taskRef, { ...options, deadline: ctx.deadline });
    if (outcome.state === 'running') throw new TaskStillRunningError(job.jobId, taskRef);
    if (outcome.state === 'succeeded') return cloned(job, outcome.vm, ctx, options);
    return onFault(job, plan, outcome.error, ctx, options, true);
  };
};

export type ExecuteClone = ReturnType<typeof makeExecuteClone>;
