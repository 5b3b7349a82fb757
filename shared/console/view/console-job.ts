import type { CloneJobView, JobStatus } from '../../clones/model/clone-job.js';

/**
 * A job as the console reads it: the v1 job view, plus fields other work adds to it later. The console shows each
 * one when the API sends it and hides it otherwise, so it needs no change when they land:
 * - `requestedBy`: the caller's principal `{id, kind, attributes}` (design §12, `shared/access`);
 * - `allowedActions`: what the caller may do with this job, e.g. `["destroy"]`; absent, the console offers every
 *   action the job's state allows and shows the API's 403 message if one is refused.
 */
export type ConsoleJob = Omit<CloneJobView, 'requestedBy'> & {
  requestedBy?: string | { id?: string; kind?: string; attributes?: Record<string, string> };
  allowedActions?: string[];
};

/** States with a clone that a DELETE can still destroy (or mark for destruction). */
const DESTROYABLE: ReadonlySet<JobStatus> = new Set(['QUEUED', 'RUNNING', 'SUCCEEDED']);

/** Whether to offer Destroy: the state allows it and, when the API says what the caller may do, it includes it. */
export const offersDestroy = (job: ConsoleJob): boolean =>
  DESTROYABLE.has(job.status) && (job.allowedActions === undefined || job.allowedActions.includes('destroy'));

/** Claims that name a person better than an OIDC principal's id (`oidc:<issuer>#<sub>`). */
const READABLE_CLAIMS = ['email', 'preferred_username', 'name'] as const;

/** Who asked for the job, as text; undefined when the API does not say. */
export const requesterOf = (job: ConsoleJob): string | undefined => {
  const by = job.requestedBy;
  if (by === undefined || typeof by === 'string') return by;
  const claims = by.kind === 'oidc' ? READABLE_CLAIMS : [];
  const readable = claims.map((claim) => by.attributes?.[claim]).find((value) => value !== undefined);
  return readable ?? by.id ?? JSON.stringify(by);
};

/** The job's clone step is over (nothing will change but a destroy). */
export const isSettled = (status: JobStatus): boolean => ['FAILED', 'DESTROYED'].includes(status);
