import { operationIdOf } from '../../access/model/grant.js';
import {
  AttemptInProgressError,
  isAppError,
  RetryScheduledError,
  StaleTransitionError,
  TaskStillRunningError,
  type VcenterFaultError,
  WaitingForGuestError,
} from '../../errors/app-error.js';
import { MacInUseError } from '../model/clone-errors.js';
import { type ClonedVm, type CloneJob, isCloneFinished } from '../model/clone-job.js';
import type { CloneMessage } from '../model/clone-message.js';
import type { JobPatch } from '../model/job-transition.js';
import { deadlineOf, overdue, type RetryPolicy, waitingFor } from '../model/retry-policy.js';
import type { GuestinfoResolver } from '../ports/guestinfo-resolver.js';
import type { ClonePlan, FoundVm, VmCallOptions, VmCloner } from '../ports/vm-cloner.js';
import { clonedVmOf, unappliedMessage, unappliedSpec } from './applied-spec.js';
import { ATTEMPT_LEASE_MS, causeOf, makeCloneAttempts } from './clone-attempts.js';
import { clonePlanFor, JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';
import { type JobWriterDeps, makeJobWriter } from './job-announcer.js';

export { ATTEMPT_LEASE_MS } from './clone-attempts.js';
export { clonePlanFor, JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';

export type ExecuteCloneDeps = JobWriterDeps & {
  cloner: VmCloner;
  resolveGuestinfo?: GuestinfoResolver;
  /** How failed attempts are retried; RETRY_POLICY unless given. */
  retryPolicy?: RetryPolicy | undefined;
};
/** `sentAt`: when the delivered message was sent to the queue (ISO time), recorded as the job's `queuedAt`. */
export type ExecuteCloneContext = { deadline: number; signal?: AbortSignal; sentAt?: string };

/** How often a `waitFor: ip` job asks vCenter for the guest's IP. */
export const GUEST_POLL_MS = 500;
/** How soon a "not yet" (task, guest, another delivery still busy) is looked at again; see the error policy. */
const NOT_YET_SECONDS = 5;

const NOT_YET = new Set(['TASK_STILL_RUNNING', 'WAITING_FOR_GUEST', 'ATTEMPT_IN_PROGRESS']);
const isNotYet = (err: unknown): boolean => isAppError(err) && NOT_YET.has(err.code);
const isReconcileFault = (err: unknown): err is VcenterFaultError =>
  isAppError(err) && err.code === 'VCENTER_FAULT' && (err as VcenterFaultError).classification === 'reconcile';

/**
 * Runs one delivery of a clone message, following design §6 and §13, so that at-least-once delivery yields exactly
 * one VM, by the job's deadline: a finished job is only (re-)announced; a job past its deadline ends FAILED
 * (`DEADLINE_EXCEEDED`); a RUNNING job whose DELETE arrived moves to DESTROYING (and is resolved with it, for the
 * destroy use case); a job with a task waits on it; otherwise a VM of the job's deterministic name is looked up first and cloned
 * only when absent, with the task recorded the moment it exists. With `waitFor: ip` the job succeeds only once the
 * guest reports an IP other than the source's. A failed attempt that may pass is retried with backoff within the
 * retry budget (RETRY_POLICY), then ends the job FAILED (`RETRIES_EXHAUSTED`) with the last error.
 *
 * Resolves with the job as stored (undefined when there is no such job) once its state is final and announced.
 * Rejects, so SQS redelivers: RetryScheduledError (after its `afterSeconds`), TaskStillRunningError,
 * WaitingForGuestError or AttemptInProgressError (look again in seconds), StaleTransitionError when another delivery
 * or a DELETE moved the job (reload and decide again), or when the table itself fails.
 */
export const makeExecuteClone = (deps: ExecuteCloneDeps) => {
  const { jobs, cloner, clock, resolveGuestinfo } = deps;
  const { update, announce, finish } = makeJobWriter(deps);
  const attempts = makeCloneAttempts(deps);

  const succeed = (job: CloneJob, vm: ClonedVm, taskEndedAt?: string): Promise<CloneJob> => {
    const now = clock.now();
    const ttl = job.request.ttlMinutes;
    return finish(job, 'SUCCEEDED', {
      vm,
      readyAt: now.toISOString(),
      attempt: undefined,
      ...(taskEndedAt && { taskEndedAt }),
      ...(ttl !== undefined && { leaseExpiresAt: new Date(now.getTime() + ttl * 60_000).toISOString() }),
    });
  };

  /**
   * The clone vCenter made is checked against its plan before anything relies on it: one that lacks an extraConfig
   * key (its `instaclone.jobId` or `guestinfo.*`) or a NIC's MAC ends FAILED `SPEC_NOT_APPLIED`, naming them, and is
   * destroyed (`cleanupPending`: the clean-up after this delivery finds it by the task that made it). `taskEndedAt`: as
   * for `cloned`.
   */
  const verified = (
    job: CloneJob,
    plan: ClonePlan,
    vm: FoundVm,
    ctx: ExecuteCloneContext,
    options: VmCallOptions,
    taskEndedAt?: string,
  ) => {
    const missing = unappliedSpec(plan, vm);
    if (!missing) return cloned(job, clonedVmOf(vm), ctx, options, taskEndedAt);
    return finish(job, 'FAILED', {
      error: { code: 'SPEC_NOT_APPLIED', message: unappliedMessage(vm, missing), retryable: false },
      vm: clonedVmOf(vm),
      ...(taskEndedAt && { taskEndedAt }),
      cleanupPending: true,
      nextAttemptAt: undefined,
      attempt: undefined,
    });
  };

  const adopt = (
    job: CloneJob,
    plan: ClonePlan,
    vm: FoundVm,
    ctx: ExecuteCloneContext,
    options: VmCallOptions,
  ): Promise<CloneJob> => {
    if (vm.extraConfig[JOB_ID_EXTRA_CONFIG_KEY] === job.jobId) return verified(job, plan, vm, ctx, options);
    const message = `A VM named '${job.vmName}' already exists in the target folder and was not made by this job`;
    return finish(job, 'FAILED', {
      error: { code: 'VCENTER_FAULT', fault: 'DuplicateName', message, retryable: false },
      attempt: undefined,
    });
  };

  /**
   * The clone exists: done, or (waitFor ip) wait for its guest to take an IP other than the source's. `taskEndedAt`:
   * when this delivery saw its task end (absent for a clone found by name or already recorded).
   */
  const cloned = async (
    job: CloneJob,
    vm: ClonedVm,
    ctx: ExecuteCloneContext,
    options: VmCallOptions,
    taskEndedAt?: string,
  ) => {
    if (job.request.waitFor !== 'ip') return succeed(job, vm, taskEndedAt);
    let current = job.vm ? job : await update(job, undefined, { vm, ...(taskEndedAt && { taskEndedAt }) });
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
      if (existing) return adopt(job, plan, existing, ctx, options);
    }
    const ended: JobPatch = taskFailed ? { taskEndedAt: clock.now().toISOString() } : {};
    if (isAppError(err) && !err.retryable) return failed(job.jobId, err, ended);
    // A failed task cannot be waited on again: forget it so the next attempt starts afresh.
    return attempts.fail(job.jobId, err, taskFailed ? { task: undefined, ...ended } : {});
  };

  /** The attempt hit an error retrying cannot fix: FAILED with it (and `patch`, e.g. when its task ended). */
  const failed = async (jobId: string, err: unknown, patch: JobPatch = {}): Promise<CloneJob | undefined> => {
    const job = await jobs.get(jobId);
    if (!job || isCloneFinished(job.status)) return job && announce(job);
    const error = { ...causeOf(err), retryable: false };
    return finish(job, 'FAILED', { error, nextAttemptAt: undefined, attempt: undefined, ...patch });
  };

  /**
   * Records the task the moment it exists. If the job moved meanwhile (a DELETE, the reconciler at the deadline),
   * the task still goes onto it, marked for clean-up unless the job is still RUNNING, so the clone is not lost;
   * then the delivery decides again (StaleTransitionError).
   */
  const recordTask = async (job: CloneJob, patch: JobPatch): Promise<CloneJob> => {
    try {
      return await update(job, undefined, patch);
    } catch (err) {
      const latest = err instanceof StaleTransitionError ? await jobs.get(job.jobId) : undefined;
      if (!latest) throw err;
      await update(latest, undefined, { ...patch, ...(latest.status !== 'RUNNING' && { cleanupPending: true }) });
      throw err;
    }
  };

  /**
   * Starts the clone (only the delivery holding the attempt may), or adopts the VM an earlier attempt made: only a
   * job that was RUNNING before this delivery can have one (QUEUED → RUNNING comes before any clone).
   */
  const start = async (
    job: CloneJob,
    firstDelivery: boolean,
    plan: ClonePlan,
    ctx: ExecuteCloneContext,
    options: VmCallOptions,
  ) => {
    const existing = firstDelivery ? undefined : await cloner.findClone(plan, options);
    if (existing) return adopt(job, plan, existing, ctx, options);
    try {
      await refuseMacsInUse(plan, options);
      const sourceIp =
        job.request.waitFor === 'ip' ? (await cloner.sourceIdentity(plan, options)).ipAddress : undefined;
      const secret = resolveGuestinfo ? await resolveGuestinfo(job, ctx.signal ? { signal: ctx.signal } : {}) : {};
      const { taskRef } = await cloner.startClone(
        { ...plan, extraConfig: { ...plan.extraConfig, ...secret } },
        options,
      );
      return recordTask(job, {
        task: { moref: taskRef },
        taskStartedAt: clock.now().toISOString(),
        ...(job.taskEndedAt && { taskEndedAt: undefined }),
        ...(sourceIp && { sourceIp }),
      });
    } catch (err) {
      if (err instanceof StaleTransitionError) throw err;
      return onFault(job, plan, err, ctx, options);
    }
  };

  /**
   * A MAC the job wants that a VM in vCenter's inventory already carries (one the service could not know of at
   * submit: not a clone of its own) would clash on the network: MacInUseError, and the job ends FAILED `MAC_IN_USE`.
   */
  const refuseMacsInUse = async (plan: ClonePlan, options: VmCallOptions): Promise<void> => {
    const macs = plan.nics.flatMap((nic) => (nic.mac ? [nic.mac.toLowerCase()] : []));
    if (macs.length === 0) return;
    const [held] = await cloner.vmsWithMacs(macs, options);
    if (!held) return;
    const index = plan.nics.findIndex((nic) => nic.mac?.toLowerCase() === held.mac);
    throw new MacInUseError(held.mac, `nics.${index}.mac`, `VM ${held.name} (${held.moref}) in vCenter`);
  };

  /** One attempt (or its continuation) on a RUNNING job. */
  const run = async (stored: CloneJob, ctx: ExecuteCloneContext): Promise<CloneJob | undefined> => {
    const now = clock.now().getTime();
    const mayStart = !stored.vm && !stored.task;
    if (mayStart && stored.status === 'RUNNING' && stored.attempt && Date.parse(stored.attempt.until) > now)
      throw new AttemptInProgressError(stored.jobId);
    // Taken by a worker: recorded with QUEUED → RUNNING, the end of the job's queue time.
    const taken = { startedAt: new Date(now).toISOString(), ...(ctx.sentAt && { queuedAt: ctx.sentAt }) };
    let job = await attempts.begin(
      stored,
      mayStart ? { until: new Date(now + ATTEMPT_LEASE_MS).toISOString() } : undefined,
      taken,
    );
    const plan = clonePlanFor(job);
    const options: VmCallOptions = { ...(ctx.signal && { signal: ctx.signal }), operationId: operationIdOf(job) };
    if (job.vm) return cloned(job, job.vm, ctx, options);
    if (!job.task) {
      const started = await start(job, stored.status === 'QUEUED', plan, ctx, options);
      if (started?.status !== 'RUNNING' || !started.task || started.vm) return started;
      job = started;
    }
    const taskRef = job.task?.moref ?? '';
    const outcome = await cloner.waitForClone(taskRef, { ...options, deadline: ctx.deadline });
    if (outcome.state === 'running') throw new TaskStillRunningError(job.jobId, taskRef);
    if (outcome.state === 'succeeded') return verified(job, plan, outcome.vm, ctx, options, clock.now().toISOString());
    return onFault(job, plan, outcome.error, ctx, options, true);
  };

  /** What an attempt's error means for the job: retry, give up, or let SQS bring the message back. */
  const settle = async (job: CloneJob, err: unknown, deadline: number): Promise<CloneJob | undefined> => {
    if (err instanceof RetryScheduledError || err instanceof StaleTransitionError) throw err;
    if (isNotYet(err)) {
      // The next look would come after the deadline: end the job now, saying what it was waiting for.
      if (clock.now().getTime() + NOT_YET_SECONDS * 1000 < deadline) throw err;
      const latest = await jobs.get(job.jobId);
      if (!latest || isCloneFinished(latest.status)) return latest && announce(latest);
      return attempts.giveUp(latest, 'DEADLINE_EXCEEDED', waitingFor(latest));
    }
    if (isAppError(err) && !err.retryable) return failed(job.jobId, err);
    return attempts.fail(job.jobId, err);
  };

  return async (message: CloneMessage, ctx: ExecuteCloneContext): Promise<CloneJob | undefined> => {
    const job = await jobs.get(message.jobId);
    if (!job) return undefined;
    if (isCloneFinished(job.status)) return announce(job);
    const now = clock.now();
    const late = overdue(job, now, deps.retryPolicy);
    if (late) return attempts.giveUp(job, late, waitingFor(job));
    // DELETE came while it ran: the destroy use case takes it from DESTROYING, finding the clone if it was not seen.
    if (job.destroyRequested && job.status === 'RUNNING')
      return update(job, 'DESTROYING', { nextAttemptAt: undefined, ...(!job.vm && { cleanupPending: true }) });
    const due = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) - now.getTime() : 0;
    if (due > 1000) throw new RetryScheduledError(job.jobId, Math.ceil(due / 1000), {});
    const deadline = deadlineOf(job);
    const runCtx = { ...ctx, deadline: Math.min(ctx.deadline, deadline) };
    try {
      return await run(job, runCtx);
    } catch (err) {
      return settle(job, err, deadline);
    }
  };
};

export type ExecuteClone = ReturnType<typeof makeExecuteClone>;
