import type { CloneJob } from '../../clones/model/clone-job.js';
import { toJobView } from '../../clones/model/clone-job.js';
import { ValidationError } from '../../errors/app-error.js';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import { parseJsonBody } from '../../http/parse-json-body.js';
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

export type PoolApiDeps = {
  putPool: (name: string, spec: PoolSpec) => Promise<{ pool: PoolView; created: boolean }>;
  getPool: (name: string) => Promise<PoolView>;
  listPools: () => Promise<PoolView[]>;
  deletePool: (name: string) => Promise<{ pool: string; retired: string[] }>;
  claim: (name: string, request: ClaimRequest) => Promise<ClaimResult>;
  release: (name: string, jobId: string) => Promise<CloneJob>;
};

const poolName = (params: Record<string, string | undefined> | undefined): string => {
  const parsed = PoolNameSchema.safeParse(params?.name);
  if (!parsed.success) throw new ValidationError([{ field: 'name', message: parsed.error.issues[0]?.message ?? '' }]);
  return parsed.data;
};

/**
 * The pool routes by API Gateway route key, ready to be spread into the API function's route table (or served by
 * `functions/pool-api`). A claim answers `200` with a ready spare or `202` with a fresh clone that is still queued;
 * `source` says which.
 */
export const makePoolApiRoutes = (deps: PoolApiDeps): Record<string, Route> => {
  return {
    'PUT /v1/pools/{name}': async (event) => {
      const spec = parseJsonBody(PoolSpecSchema, event);
      const { pool, created } = await deps.putPool(poolName(event.pathParameters), spec);
      return jsonResponse(created ? 201 : 200, pool);
    },
    'GET /v1/pools': async () => jsonResponse(200, { pools: await deps.listPools() }),
    'GET /v1/pools/{name}': async (event) => jsonResponse(200, await deps.getPool(poolName(event.pathParameters))),
    'DELETE /v1/pools/{name}': async (event) =>
      jsonResponse(202, await deps.deletePool(poolName(event.pathParameters))),
    'POST /v1/pools/{name}/claim': async (event) => {
      const request = parseJsonBody(ClaimRequestSchema, event, { whenEmpty: {} });
      const result = await deps.claim(poolName(event.pathParameters), request);
      return jsonResponse(result.source === 'spare' ? 200 : 202, {
        pool: result.pool,
        source: result.source,
        clone: toJobView(result.job),
      });
    },
    'POST /v1/pools/{name}/release': async (event) => {
      const { jobId } = parseJsonBody(ReleaseRequestSchema, event);
      const name = poolName(event.pathParameters);
      return jsonResponse(202, { pool: name, clone: toJobView(await deps.release(name, jobId)) });
    },
  };
};
