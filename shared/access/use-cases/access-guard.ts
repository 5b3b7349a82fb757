import { AccessDeniedError, QuotaExceededError } from '../model/access-errors.js';
import type { CloneTarget } from '../model/clone-target.js';
import { type Decision, decide, type JobRef, type ResourceOf } from '../model/decide.js';
import type { CloneGrant } from '../model/grant.js';
import { foreignNamespaceKey, type NamespacedRequest } from '../model/namespaces.js';
import type { Action, Policy } from '../model/policy.js';
import type { Principal } from '../model/principal.js';
import type { DenialRecorder } from '../ports/denial-recorder.js';
import type { QuotaLedger } from '../ports/quota-ledger.js';

export type AccessGuardDeps = {
  /** Undefined: no policy configured, everything is allowed (integration namespaces still hold). */
  policy: Policy | undefined;
  ledger: QuotaLedger;
  recorder: DenialRecorder;
  clock: { now(): Date };
};

/** Rule name of a refusal for a key in another path's namespace (`github.*`, `slack.*`, `instaclone.*`). */
export const RESERVED_NAMESPACE_RULE = 'reserved-namespace';

/**
 * The policy enforcement point the use cases call before anything is stored or queued. Every refusal is recorded
 * (logged and counted) and thrown: AccessDeniedError (403) naming the rule and field, QuotaExceededError (429).
 */
export const makeAccessGuard = ({ policy, ledger, recorder, clock }: AccessGuardDeps) => {
  const deny = (principal: Principal, action: Action, rule: string | null, field: string, message: string): never => {
    recorder.denied({ principal, action, rule, field, kind: 'policy' });
    throw new AccessDeniedError(rule, field, message);
  };

  /** Throws AccessDeniedError unless the policy lets `principal` do `action` on `resource`. */
  const authorize = <A extends Action>(principal: Principal, action: A, resource: ResourceOf[A]): void => {
    const decision = decide(policy, principal, action, resource);
    if (!decision.allowed) deny(principal, action, decision.rule, decision.field, decision.message);
  };

  /** Refuses (403) a clone request the namespaces or the policy do not allow; pure, charges nothing. */
  const checkClone = (principal: Principal, request: CloneTarget & NamespacedRequest): Decision & { allowed: true } => {
    const foreign = foreignNamespaceKey(principal, request);
    if (foreign) deny(principal, 'clone', RESERVED_NAMESPACE_RULE, foreign.field, foreign.message);
    const decision = decide(policy, principal, 'clone', request);
    if (!decision.allowed) return deny(principal, 'clone', decision.rule, decision.field, decision.message);
    return decision;
  };

  /**
   * Admits a clone request for `jobIds` (one per clone): integration namespaces first, then the policy, then the
   * granting rule's live-clone and concurrent-job limits, charged for all the jobs in one conditional write (a retry
   * of the same ids counts them once). Resolves with the grant to record on the jobs.
   */
  const admitClone = async (
    principal: Principal,
    request: CloneTarget & NamespacedRequest,
    jobIds: readonly string[],
  ): Promise<CloneGrant> => {
    const decision = checkClone(principal, request);
    if (!decision.quota) return { rule: decision.rule };
    const { key, liveClones, concurrentJobs } = decision.quota;
    const outcome = await ledger.acquire({ key, jobIds, liveClones, concurrentJobs }, clock.now());
    if (!outcome.granted) {
      recorder.denied({ principal, action: 'clone', rule: decision.rule, field: outcome.field, kind: 'quota' });
      throw new QuotaExceededError(decision.rule, outcome.field, outcome.limit, outcome.inUse);
    }
    return { rule: decision.rule, quotaKey: key };
  };

  /** Whether `principal` may read the job: for filtering listings, where a refusal is not an error. */
  const mayRead = (principal: Principal, job: JobRef): boolean => decide(policy, principal, 'read', job).allowed;

  /** Whether `principal` may see a warm pool: it may claim from it or manage it. */
  const mayView = (principal: Principal, pool: string): boolean =>
    decide(policy, principal, 'claim', { pool }).allowed || decide(policy, principal, 'manage-pools', { pool }).allowed;

  /** Releases the counters of admitted jobs that were never stored. */
  const abandon = async (grant: CloneGrant, jobIds: readonly string[]): Promise<void> => {
    if (grant.quotaKey !== undefined) await ledger.releaseLive(grant.quotaKey, jobIds);
  };

  return { authorize, checkClone, admitClone, mayRead, mayView, abandon, hasPolicy: policy !== undefined };
};

/**
 * Access for the service's own paths (pool spares and claims, reapers, warm-runner claims): what they do was
 * authorized where it was asked for (`manage-pools`, `claim`, the signed webhook), so it is admitted as `rule`, and
 * no quota is charged.
 */
export const internalAccess = (rule: string) => ({
  authorize: (): void => {},
  checkClone: (): void => {},
  admitClone: async (): Promise<CloneGrant> => ({ rule }),
  mayRead: (): boolean => true,
  abandon: async (): Promise<void> => {},
});
export type AccessGuard = ReturnType<typeof makeAccessGuard>;
