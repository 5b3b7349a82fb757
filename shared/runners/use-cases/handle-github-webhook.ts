import { githubPrincipal, type Principal } from '../../access/model/principal.js';
import type { CloneJob } from '../../clones/model/clone-job.js';
import { type CloneRequest, CloneRequestSchema } from '../../clones/model/clone-request.js';
import type { RequestDestroy, SubmitCloneAs } from '../../clones/ports/clone-commands.js';
import type { CloneQueue } from '../../clones/ports/clone-queue.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { isAppError } from '../../errors/app-error.js';
import { PoolNotFoundError } from '../../pools/model/pool-errors.js';
import type { ClaimResult, ClaimSpare } from '../../pools/ports/pool-ports.js';
import type { Clock } from '../../runtime/runtime.js';
import {
  type GithubDelivery,
  type GithubWebhookOutcome,
  jobIdFromRunnerName,
  RUNNER_LABELS,
  runnerJobId,
  runnerName,
  type WorkflowJobPayload,
  WorkflowJobPayloadSchema,
} from '../model/github-webhook.js';
import { poolAdmits, poolForLabels, type RunnerPool, type RunnerPools } from '../model/runner-pools.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';

/** How long a delivery id is remembered; GitHub redelivers by hand or by API, days later at most. */
export const DELIVERY_TTL_SECONDS = 3 * 24 * 60 * 60;

export type GithubWebhookDeps = {
  pools: RunnerPools;
  deliveries: DeliveryLedger;
  jobs: Pick<JobRepository, 'get'>;
  /** Asks a claimed warm spare to take its JIT config (a `configure` message). */
  queue: CloneQueue;
  clock: Clock;
  /** Clones a runner for its job under the job's deterministic id (makeSubmitCloneAs). */
  submitCloneAs: SubmitCloneAs;
  /** Destroys a runner clone whose job completed (makeRequestDestroy). */
  requestDestroy: RequestDestroy;
  /**
   * Claims a ready spare of a warm pool (makeClaimSpare); undefined when none is ready. Without it, runner pools'
   * `warmPool` is ignored and every runner is cloned for its job.
   */
  claimSpare?: ClaimSpare;
};

/** A verified delivery acts for the App installation it came from. */
export const principalOfDelivery = (payload: WorkflowJobPayload): Principal =>
  githubPrincipal(payload.installation?.id ?? 'none');

/** Labels of the runner clone serving one queued GitHub job: where to register it, what it is for. */
const runnerLabels = (pool: RunnerPool, payload: WorkflowJobPayload, now: Date): Record<string, string> => {
  const job = payload.workflow_job;
  return {
    [RUNNER_LABELS.pool]: pool.name,
    [RUNNER_LABELS.jobId]: String(job.id),
    [RUNNER_LABELS.runId]: String(job.run_id),
    [RUNNER_LABELS.repo]: payload.repository.full_name,
    [RUNNER_LABELS.queuedAt]: job.created_at ?? now.toISOString(),
    ...(payload.organization && { [RUNNER_LABELS.org]: payload.organization.login }),
    ...(payload.installation && { [RUNNER_LABELS.installationId]: String(payload.installation.id) }),
  };
};

/** The clone request for one queued GitHub job: labels to find it again, guestinfo the guest script reads. */
export const runnerCloneRequest = (pool: RunnerPool, payload: WorkflowJobPayload, now: Date): CloneRequest => {
  const job = payload.workflow_job;
  return CloneRequestSchema.parse({
    source: pool.source,
    ...(pool.folder && { folder: pool.folder }),
    labels: runnerLabels(pool, payload, now),
    guestinfo: {
      ...pool.guestinfo,
      'instaclone.runner.pool': pool.name,
      'instaclone.runner.repo': payload.repository.full_name,
      'instaclone.runner.job-id': String(job.id),
      'instaclone.runner.name': runnerName(job.id),
    },
    ttlMinutes: pool.maxLifetimeMinutes,
  });
};

/**
 * Acts on one GitHub webhook delivery whose signature was verified.
 * 1. `ping` → pong; any event but `workflow_job` → ignored.
 * 2. The delivery id is claimed in the ledger; a repeat within {@link DELIVERY_TTL_SECONDS} → duplicate.
 * 3. `queued` whose labels match a pool: with a `warmPool` that has a ready spare, the spare is claimed (labelled
 *    for this job) and a `configure` message asks the worker for its JIT config → claimed. Otherwise a QUEUED clone
 *    job with the deterministic id `github-job-<id>` (a job that exists already → duplicate, so nothing is queued
 *    twice even after the ledger forgot). A warm pool that does not exist counts as one without spares, and so does
 *    one whose spares vCenter cannot vouch for just now (the claim reads the job id on the spare's VM).
 * 4. `completed` → destroy the runner clone that ran it (found by its runner name, `instaclone-<jobId>`, and only
 *    if that job is a runner clone); a job cancelled before any runner took it destroys its own clone only while
 *    that clone is not up yet (an idle runner may have been given another job; its lease bounds it). A warm spare
 *    claimed for a job cancelled that early stays up as an idle runner until the idle-runner reaper takes it.
 * 5. Everything else (`waiting`, `in_progress`, labels of no pool, other runners) → ignored.
 * A `workflow_job` payload without the fields we read is ignored. If acting fails the claim is released (so
 * GitHub's retry is acted on) and the error propagates (the route answers 5xx, GitHub shows a failed delivery).
 */
export const makeHandleGithubWebhook = (deps: GithubWebhookDeps) => {
  const { pools, deliveries, jobs, queue, clock, submitCloneAs, requestDestroy, claimSpare } = deps;

  /** A warm spare claimed for this job and asked to take its JIT config, or undefined (cold path). */
  const claimWarm = async (pool: RunnerPool, payload: WorkflowJobPayload): Promise<CloneJob | undefined> => {
    if (!pool.warmPool || !claimSpare) return undefined;
    const now = clock.now();
    const labels = { ...runnerLabels(pool, payload, now), [RUNNER_LABELS.warm]: pool.warmPool };
    const claimedBy = runnerJobId(payload.workflow_job.id);
    let claimed: ClaimResult | undefined;
    try {
      claimed = await claimSpare(pool.warmPool, { version: '1', claimedBy }, principalOfDelivery(payload), { labels });
    } catch (err) {
      // No pool, or vCenter could not vouch for a spare: the job is cloned for itself (queued, retried, on a deadline).
      if (err instanceof PoolNotFoundError || (isAppError(err) && err.code.startsWith('VCENTER_'))) return undefined;
      throw err;
    }
    if (!claimed) return undefined;
    const { jobId } = claimed.job;
    try {
      await queue.enqueue({ version: '1', jobId, action: 'configure', requestedAt: now.toISOString() });
    } catch (err) {
      // GitHub's retry will claim another spare: this one would never get a JIT config.
      await destroy(jobId).catch(() => undefined);
      throw err;
    }
    return claimed.job;
  };

  const onQueued = async (payload: WorkflowJobPayload): Promise<GithubWebhookOutcome> => {
    const pool = poolForLabels(pools, payload.workflow_job.labels);
    if (!pool) return { outcome: 'ignored', reason: 'no pool serves these labels' };
    const origin = { repository: payload.repository.full_name, installationId: payload.installation?.id };
    if (!poolAdmits(pool, origin))
      return { outcome: 'ignored', reason: 'the runner pool does not serve this repository' };
    const jobId = runnerJobId(payload.workflow_job.id);
    if (await jobs.get(jobId)) return { outcome: 'duplicate', jobId };
    const warm = await claimWarm(pool, payload);
    if (warm && pool.warmPool)
      return { outcome: 'claimed', jobId: warm.jobId, pool: pool.name, warmPool: pool.warmPool };
    await submitCloneAs(jobId, runnerCloneRequest(pool, payload, clock.now()), principalOfDelivery(payload));
    return { outcome: 'submitted', jobId, pool: pool.name };
  };

  const destroy = async (jobId: string): Promise<CloneJob | undefined> => {
    try {
      return await requestDestroy(jobId);
    } catch (err) {
      if (isAppError(err) && err.code === 'JOB_NOT_FOUND') return undefined;
      if (isAppError(err) && err.code === 'STALE_TRANSITION') return requestDestroy(jobId);
      throw err;
    }
  };

  const onCompleted = async (payload: WorkflowJobPayload): Promise<GithubWebhookOutcome> => {
    const ranOn = jobIdFromRunnerName(payload.workflow_job.runner_name);
    if (ranOn) {
      const ran = await jobs.get(ranOn);
      if (ran?.request.labels?.[RUNNER_LABELS.pool] === undefined) {
        return { outcome: 'ignored', reason: 'runner clone unknown' };
      }
      return (await destroy(ranOn))
        ? { outcome: 'destroy-requested', jobId: ranOn }
        : { outcome: 'ignored', reason: 'runner clone unknown' };
    }
    if (payload.workflow_job.runner_name) return { outcome: 'ignored', reason: 'ran on a runner that is not ours' };
    const own = await jobs.get(runnerJobId(payload.workflow_job.id));
    if (!own || !['QUEUED', 'RUNNING'].includes(own.status)) {
      return { outcome: 'ignored', reason: 'no runner clone to cancel' };
    }
    await destroy(own.jobId);
    return { outcome: 'destroy-requested', jobId: own.jobId };
  };

  return async (delivery: GithubDelivery): Promise<GithubWebhookOutcome> => {
    if (delivery.event === 'ping') return { outcome: 'pong' };
    if (delivery.event !== 'workflow_job') return { outcome: 'ignored', reason: `event ${delivery.event}` };
    const parsed = WorkflowJobPayloadSchema.safeParse(delivery.payload);
    if (!parsed.success) return { outcome: 'ignored', reason: 'not a workflow_job payload' };
    const payload = parsed.data;
    if (payload.action !== 'queued' && payload.action !== 'completed') {
      return { outcome: 'ignored', reason: `action ${payload.action}` };
    }
    if (!(await deliveries.claim(delivery.deliveryId, { ttlSeconds: DELIVERY_TTL_SECONDS, now: clock.now() }))) {
      return { outcome: 'duplicate' };
    }
    try {
      return payload.action === 'queued' ? await onQueued(payload) : await onCompleted(payload);
    } catch (err) {
      await deliveries.release(delivery.deliveryId).catch(() => {});
      throw err;
    }
  };
};
