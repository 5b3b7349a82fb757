import { createHash } from 'node:crypto';
import type { Principal } from '../../access/model/principal.js';
import { IdempotencyConflictError } from '../../errors/app-error.js';
import type { Clock, IdGenerator } from '../../runtime/runtime.js';
import type { CloneJob } from '../model/clone-job.js';
import type { CloneRequest } from '../model/clone-request.js';
import { assertRequestFits } from '../model/request-limits.js';
import type { SubmissionKey } from '../model/submission-key.js';
import type { CloneAccess } from '../ports/clone-access.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { SubmissionLedger } from '../ports/submission-ledger.js';

export type SubmitOnceDeps = {
  ledger: SubmissionLedger;
  jobs: Pick<JobRepository, 'get'>;
  queue: CloneQueue;
  /** makeSubmitClone: admits the request and makes the jobs of the given ids that do not exist yet. */
  submit: (request: CloneRequest, principal: Principal, jobIds: readonly string[]) => Promise<CloneJob[]>;
  /** Refuses what the policy refuses before anything (the ledger record included) is written. */
  access: Pick<CloneAccess, 'checkClone'>;
  clock: Clock;
  ids: IdGenerator;
};

/** The request as a stable string: object keys sorted, so `{a,b}` and `{b,a}` are one request. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(',')}}`;
};
export const requestFingerprint = (request: CloneRequest): string =>
  createHash('sha256').update(canonical(request)).digest('hex');

/**
 * Submits a request at most once per key. The ids of its jobs are drawn first and remembered under every key in
 * order (the first record under a key wins; a later key adopts what an earlier one holds), then exactly those jobs are
 * made, the missing ones only. So a retry, a concurrent duplicate or a retry after a crash halfway through `count`
 * gets the same jobs, never more, and finishes what the first attempt left undone (missing jobs made, QUEUED ones
 * enqueued again); the answer is rebuilt from the jobs as they are now. Without keys it just submits.
 * An `Idempotency-Key` is remembered per principal (another caller's same key never returns these jobs); a signature
 * is the sender's own already.
 * Rejects with PayloadTooLargeError and AccessDeniedError (before anything is remembered), QuotaExceededError, and
 * IdempotencyConflictError when a key was used with another request.
 */
export const makeSubmitOnce =
  ({ ledger, jobs, queue, submit, clock, ids, access }: SubmitOnceDeps) =>
  async (request: CloneRequest, principal: Principal, keys: readonly SubmissionKey[]): Promise<CloneJob[]> => {
    assertRequestFits(request);
    access.checkClone(principal, request);
    const fingerprint = requestFingerprint(request);
    const fresh = Array.from({ length: request.count }, () => ids.jobId());
    let jobIds = fresh;
    for (const key of keys) {
      const scope = key.kind === 'idempotency-key' ? `${principal.id} ` : '';
      const kept = await ledger.remember(
        `${key.kind}:${scope}${key.value}`,
        { fingerprint, jobIds },
        { ttlSeconds: key.ttlSeconds, now: clock.now() },
      );
      if (kept.fingerprint !== fingerprint) {
        throw new IdempotencyConflictError(
          `This ${key.kind === 'signature' ? 'signature' : 'Idempotency-Key'} was used with a different request body`,
        );
      }
      jobIds = kept.jobIds;
    }
    if (jobIds.join() === fresh.join()) return submit(request, principal, jobIds);
    // A retry. If the first attempt stopped halfway, the missing jobs are made now; jobs still QUEUED are enqueued
    // again, since their message may be the part that was lost (a second message for a job is harmless).
    const stored = await Promise.all(jobIds.map((jobId) => jobs.get(jobId)));
    if (stored.some((job) => job === undefined)) return submit(request, principal, jobIds);
    const queued = (stored as CloneJob[]).filter((job) => job.status === 'QUEUED');
    await Promise.all(queued.map((job) => queue.enqueue({ version: '1', jobId: job.jobId })));
    return stored as CloneJob[];
  };
