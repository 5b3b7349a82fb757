import type { Principal } from '../../access/model/principal.js';
import type { CloneJob } from '../../clones/model/clone-job.js';
import { toJobView } from '../../clones/model/clone-job.js';
import { ValidationError } from '../../errors/app-error.js';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import { parseJsonBody } from '../../http/parse-json-body.js';
import { principalOfRequest } from '../../http/principal-of-request.js';
import {
  type ClaimRequest,
  ClaimRequestSchema,
  PoolNameSchema,
  type PoolSpec,
  PoolSpecSchema,
  ReleaseRequestSchema,
} from '../model/pool.js';
import type { PoolView } from '../model/pool-view.js';
import type { ClaimResult } from '../ports/pool-ports.js';

/** What the policy decides for the pool routes: `manage-pools` or `claim` on one warm pool. */
export type PoolAccess = {
  /** Throws AccessDeniedError (403) naming the rule and field unless the principal may. */
  authorize(principal: Principal, action: 'claim' | 'manage-pools', pool: { pool: string }): void;
  /** Whether the principal may see the pool: it may claim from it or manage it. */
  mayView(principal: Principal, pool: string): boolean;
};

export type PoolApiDeps = {
  access: PoolAccess;
  putPool: (name: string, spec: PoolSpec) => Promise<{ pool: PoolView; created: boolean }>;
  getPool: (name: string) => Promise<PoolView>;
  listPools: () => Promise<PoolView[]>;
  deletePool: (name: string) => Promise<{ pool: string; retired: string[] }>;
  claim: (name: string, request: ClaimRequest, principal: Principal) => Promise<ClaimResult>;
  release: (name: string, jobId: string) => Promise<CloneJob>;
};

const poolName = (params: Record<string, string | undefined> | undefined): string => {
  const parsed = PoolNameSchema.safeParse(params?.name);
  if (!parsed.success) throw new ValidationError([{ field: 'name', message: parsed.error.issues[0]?.message ?? '' }]);
  return parsed.data;
};

/**
 * The pool routes by API Gateway route key, ready to be spread into the API function's route table (or served by
 * `functions/pool-api`). Each checks the caller's principal first: `manage-pools` to put or delete a pool, `claim`
 * to claim or release, either to see a pool (a listing leaves out the others). A claim answers `200` with a ready
 * spare or `202` with a fresh clone that is still queued; `source` says which; the claimer becomes the clone's
 * `requestedBy`.
 */
export const makePoolApiRoutes = (deps: PoolApiDeps): Record<string, Route> => {
  const { access } = deps;
  const authorized = (event: Parameters<Route>[0], action: 'claim' | 'manage-pools') => {
    const principal = principalOfRequest(event);
    const name = poolName(event.pathParameters);
    access.authorize(principal, action, { pool: name });
    return { principal, name };
  };
  const viewable = (event: Parameters<Route>[0]) => {
    const principal = principalOfRequest(event);
    const name = poolName(event.pathParameters);
    if (!access.mayView(principal, name)) access.authorize(principal, 'claim', { pool: name });
    return name;
  };
  return {
    'PUT /v1/pools/{name}': async (event) => {
      const { name } = authorized(event, 'manage-pools');
      const spec = parseJsonBody(PoolSpecSchema, event);
      const { pool, created } = await deps.putPool(name, spec);
      return jsonResponse(created ? 201 : 200, pool);
    },
    'GET /v1/pools': async (event) => {
      const principal = principalOfRequest(event);
      const pools = (await deps.listPools()).filter((pool) => access.mayView(principal, pool.name));
      return jsonResponse(200, { pools });
    },
    'GET /v1/pools/{name}': async (event) => jsonResponse(200, await deps.getPool(viewable(event))),
    'DELETE /v1/pools/{name}': async (event) =>
      jsonResponse(202, await deps.deletePool(authorized(event, 'manage-pools').name)),
    'POST /v1/pools/{name}/claim': async (event) => {
      const { principal, name } = authorized(event, 'claim');
      const request = parseJsonBody(ClaimRequestSchema, event, { whenEmpty: {} });
      const result = await deps.claim(name, request, principal);
      return jsonResponse(result.source === 'spare' ? 200 : 202, {
        pool: result.pool,
        source: result.source,
        clone: toJobView(result.job),
      });
    },
    'POST /v1/pools/{name}/release': async (event) => {
      const { name } = authorized(event, 'claim');
      const { jobId } = parseJsonBody(ReleaseRequestSchema, event);
      return jsonResponse(202, { pool: name, clone: toJobView(await deps.release(name, jobId)) });
    },
  };
};
