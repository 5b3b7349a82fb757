import type { CloneGrant } from '../../access/model/grant.js';
import type { Principal } from '../../access/model/principal.js';
import type { CloneRequest } from '../model/clone-request.js';

/** A job as the policy sees it: who asked for it. */
export type JobOwner = { requestedBy?: Principal | undefined };

/**
 * The policy enforcement point of the clone use cases, called before anything is stored or queued. The API, the
 * signed hooks and Slack get the access guard (policy, integration namespaces, quotas); the service's own paths
 * (pool spares and claims, reapers) get an internal grant that admits what they were built to do.
 */
export interface CloneAccess {
  /**
   * Refuses, with AccessDeniedError (403), a request the policy or an integration namespace does not allow. Pure:
   * writes nothing and charges nothing, so it can run before a submission is remembered.
   */
  checkClone(principal: Principal, request: CloneRequest): void;
  /**
   * Admits a request for `jobIds` (one per clone) and charges its quota. Rejects with AccessDeniedError (403) or
   * QuotaExceededError (429); nothing is charged then.
   */
  admitClone(principal: Principal, request: CloneRequest, jobIds: readonly string[]): Promise<CloneGrant>;
  /** Throws AccessDeniedError (403) unless `principal` may read, list (job undefined: at all) or destroy the job. */
  authorize(principal: Principal, action: 'read' | 'list' | 'destroy', job: JobOwner | undefined): void;
  /** Whether `principal` may read the job (a listing leaves out what it may not). */
  mayRead(principal: Principal, job: JobOwner): boolean;
  /** Gives back the quota of jobs that were admitted but never stored (best effort; the repair catches the rest). */
  abandon(grant: CloneGrant, jobIds: readonly string[]): Promise<void>;
}
