import { type CloneTarget, checkCloneTarget, type Refusal } from './clone-target.js';
import { anyNameMatches, matchesPrincipal } from './matching.js';
import type { Action, Policy, Rule } from './policy.js';
import type { Principal } from './principal.js';

/** A job as far as access goes: who asked for it (absent on jobs made before requests carried a principal). */
export type JobRef = { requestedBy?: Principal | undefined };
/** A warm pool by name. */
export type WarmPoolRef = { pool: string };

/** The resource each action is decided on. `list` without a job asks "may this principal list at all?". */
export type ResourceOf = {
  clone: CloneTarget;
  read: JobRef;
  list: JobRef | undefined;
  destroy: JobRef;
  claim: WarmPoolRef;
  'manage-pools': WarmPoolRef;
  admin: undefined;
};

/** The counters a granted clone is charged to: `key` names the principal (or the rule's group) and the rule. */
export type QuotaPlan = { key: string; liveClones?: number; concurrentJobs?: number };

/** `rule` is the granting rule's id ({@link NO_POLICY} when there is no policy). */
export type Allow = { allowed: true; rule: string; quota?: QuotaPlan };
/**
 * `rule`: the rule that came closest (matched the principal and action but not the resource or a limit), or null
 * when no rule grants the action to the principal at all (the missing grant). `field` is the request field at fault
 * (`folder`, `ttlMinutes`, `nics.0.network`, …; `action` for a missing grant).
 */
export type Deny = { allowed: false; rule: string | null; field: string; message: string };
export type Decision = Allow | Deny;

/** The rule name an allowance carries when no policy is configured (today's behaviour: everyone may do anything). */
export const NO_POLICY = '(no policy)';

const grants = (rule: Rule, action: Action) => rule.actions.includes(action) || rule.actions.includes('admin');
const isAdmin = (rule: Rule) => rule.actions.includes('admin');

const quotaPlanOf = (rule: Rule, principal: Principal): QuotaPlan | undefined => {
  const limits = rule.limits;
  if (limits?.liveClones === undefined && limits?.concurrentJobs === undefined) return undefined;
  return {
    key: limits.per === 'group' ? `rule#${rule.id}` : `rule#${rule.id}#${principal.id}`,
    ...(limits.liveClones !== undefined && { liveClones: limits.liveClones }),
    ...(limits.concurrentJobs !== undefined && { concurrentJobs: limits.concurrentJobs }),
  };
};

/** Whether a read/list/destroy grant of `rule` covers the job, by the rule's scope (default `own`). */
const coversJob = (rule: Rule, principal: Principal, job: JobRef): boolean => {
  const owner = job.requestedBy;
  switch (rule.scope ?? 'own') {
    case 'all':
      return true;
    case 'group':
      return (
        owner !== undefined && (owner.id === principal.id || rule.principals.some((m) => matchesPrincipal(m, owner)))
      );
    case 'own':
      return owner !== undefined && owner.id === principal.id;
  }
};

type Check = (rule: Rule) => Refusal | undefined;

const checkFor = <A extends Action>(action: A, principal: Principal, resource: ResourceOf[A]): Check => {
  switch (action) {
    case 'clone':
      return (rule) => checkCloneTarget(rule, resource as CloneTarget);
    case 'read':
    case 'list':
    case 'destroy': {
      const job = resource as JobRef | undefined;
      return (rule) =>
        job === undefined || coversJob(rule, principal, job)
          ? undefined
          : {
              field: 'requestedBy',
              message: `this job is not within the "${rule.scope ?? 'own'}" scope of rule ${rule.id}`,
            };
    }
    case 'claim':
    case 'manage-pools': {
      const { pool } = resource as WarmPoolRef;
      return (rule) =>
        anyNameMatches(rule.resources?.warmPools ?? [], pool)
          ? undefined
          : { field: 'pool', message: `warm pool ${pool} is not among the warm pools rule ${rule.id} covers` };
    }
    default:
      return () => ({ field: 'action', message: `${action} is granted only by an admin rule` });
  }
};

/**
 * Decides whether `principal` may do `action` on `resource` under `policy`. Pure: no I/O, no clock.
 * No policy: everything is allowed (the behaviour before policies existed). With a policy, rules are tried in order
 * and the first rule that matches the principal, grants the action (or `admin`) and admits the resource and its
 * limits allows, naming itself and, for clones, the counters to charge (the quota itself is enforced by the ledger,
 * with conditional writes). Otherwise the answer is a denial naming the first rule that matched the principal and
 * action (and the field it refused), or the missing grant.
 */
export const decide = <A extends Action>(
  policy: Policy | undefined,
  principal: Principal,
  action: A,
  resource: ResourceOf[A],
): Decision => {
  if (!policy) return { allowed: true, rule: NO_POLICY };
  const check = checkFor(action, principal, resource);
  let closest: Deny | undefined;
  for (const rule of policy.rules) {
    if (!grants(rule, action) || !rule.principals.some((m) => matchesPrincipal(m, principal))) continue;
    if (isAdmin(rule)) return { allowed: true, rule: rule.id };
    const refusal = check(rule);
    if (!refusal) {
      const quota = action === 'clone' ? quotaPlanOf(rule, principal) : undefined;
      return { allowed: true, rule: rule.id, ...(quota && { quota }) };
    }
    closest ??= { allowed: false, rule: rule.id, ...refusal };
  }
  return (
    closest ?? {
      allowed: false,
      rule: null,
      field: 'action',
      message: `no rule grants "${action}" to ${principal.id}`,
    }
  );
};
