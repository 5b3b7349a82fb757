import type { CloneJob } from '../model/clone-job.js';
import type { CloneRequest } from '../model/clone-request.js';
import type { SubmissionKey } from '../model/submission-key.js';

/**
 * What other features may ask of the clones feature. Each is implemented by a clones use case and handed over by
 * the composition root, so a caller never imports the use case itself.
 */

/**
 * Submits a request: `count` QUEUED jobs, each enqueued; the jobs in order. With `jobIds` (one per clone) a job
 * whose id exists already is returned as stored and not enqueued again.
 */
export type SubmitClone = (request: CloneRequest, jobIds?: readonly string[]) => Promise<CloneJob[]>;

/** Submits a request at most once per key (makeSubmitOnce); without keys, once per call. The jobs in order. */
export type SubmitOnce = (request: CloneRequest, keys: readonly SubmissionKey[]) => Promise<CloneJob[]>;

/**
 * Submits one clone under a job id the caller derived (e.g. from a GitHub workflow job id): a job of that id that
 * exists already is returned as stored and not enqueued again, so a repeated trigger never clones twice.
 */
export type SubmitCloneAs = (jobId: string, request: CloneRequest) => Promise<CloneJob>;

/** DELETE semantics: destroys a finished clone, or marks an unfinished one. Rejects JobNotFoundError, StaleTransitionError. */
export type RequestDestroy = (jobId: string) => Promise<CloneJob>;
