import type { Principal } from '../../access/model/principal.js';
import type { CloneJob } from '../model/clone-job.js';
import type { CloneRequest } from '../model/clone-request.js';
import type { SubmissionKey } from '../model/submission-key.js';

/**
 * What other features may ask of the clones feature. Each is implemented by a clones use case and handed over by
 * the composition root, so a caller never imports the use case itself.
 */

/**
 * Submits a request for `principal` (admitted by the composition's CloneAccess: refused with AccessDeniedError or
 * QuotaExceededError before anything is stored): `count` QUEUED jobs, each enqueued; the jobs in order. With `jobIds`
 * (one per clone) a job whose id exists already is returned as stored and not enqueued again.
 */
export type SubmitClone = (
  request: CloneRequest,
  principal: Principal,
  jobIds?: readonly string[],
) => Promise<CloneJob[]>;

/**
 * Submits a request for `principal` at most once per key (makeSubmitOnce); without keys, once per call. An
 * `Idempotency-Key` is the principal's own. The jobs in order.
 */
export type SubmitOnce = (
  request: CloneRequest,
  principal: Principal,
  keys: readonly SubmissionKey[],
) => Promise<CloneJob[]>;

/**
 * Submits one clone for `principal` under a job id the caller derived (e.g. from a GitHub workflow job id): a job of
 * that id that exists already is returned as stored and not enqueued again, so a repeated trigger never clones twice.
 */
export type SubmitCloneAs = (jobId: string, request: CloneRequest, principal: Principal) => Promise<CloneJob>;

/**
 * DELETE semantics, for the service's own paths: destroys a finished clone, or marks an unfinished one. Rejects
 * JobNotFoundError, StaleTransitionError.
 */
export type RequestDestroy = (jobId: string) => Promise<CloneJob>;

/** DELETE for a caller: {@link RequestDestroy} once the policy lets `principal` destroy the job (AccessDeniedError). */
export type DestroyClone = (jobId: string, principal: Principal) => Promise<CloneJob>;

/** Loads a job `principal` may read. Rejects JobNotFoundError, AccessDeniedError. */
export type GetClone = (jobId: string, principal: Principal) => Promise<CloneJob>;

/**
 * What vCenter says now of the VM a finished job recorded: `ours` when its extraConfig carries the job's id, `gone`
 * when no VM of that moref exists any more, `foreign` when the moref names a VM that is not this job's (vCenter
 * re-used it after a restart or a restore, or someone re-pointed the marker), `none` when the job has no VM.
 */
export type CloneVmVerdict = 'ours' | 'gone' | 'foreign' | 'none';

/**
 * Reads the job id on a job's VM (one property read). Rejects with VcenterUnavailableError or VcenterFaultError when
 * vCenter cannot say: the caller must not take an unanswered question for `ours`.
 */
export type VerifyCloneVm = (job: CloneJob, options?: { signal?: AbortSignal }) => Promise<CloneVmVerdict>;
