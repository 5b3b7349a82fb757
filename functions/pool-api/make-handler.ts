import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AccessConfigSchema } from '#shared/access/config';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { makeVerifyCloneVm } from '#shared/clones/use-cases/verify-clone-vm';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { macFamily } from '#shared/composition/mac-deps';
import { poolFamily } from '#shared/composition/pool-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { vcenterFamily } from '#shared/composition/vcenter-deps';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makePoolApiRoutes } from '#shared/pools/api/pool-api-routes';
import { PoolClaimConfigSchema } from '#shared/pools/config';
import { makeClaimFromPool } from '#shared/pools/use-cases/claim-from-pool';
import { makeDeletePool } from '#shared/pools/use-cases/delete-pool';
import { makeManagePools } from '#shared/pools/use-cases/manage-pools';
import { makeReleasePoolClone } from '#shared/pools/use-cases/release-pool-clone';

export type PoolApiDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'pools' | 'claims' | 'queue' | 'poolEvents' | 'clock' | 'ids' | 'macs' | 'cloner' | 'logger' | 'accessFor'
>;

/** What this function reads from its environment (validated once, at cold start), the policy included. */
export const configSchema = PoolClaimConfigSchema.safeExtend(AccessConfigSchema.shape);

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(
  coreFamily,
  awsFamily,
  secretFamily,
  vcenterFamily,
  macFamily,
  poolFamily,
  accessFamily,
);

/**
 * The pool routes (`/v1/pools*`), dispatched on API Gateway's routeKey: `manage-pools` and `claim` as the policy
 * says. A fresh clone for a claim, and the destroys of release and delete, act on the grant the route checked. A
 * claim asks vCenter whether a spare's VM is still its own before handing it out, so this function runs next to
 * vCenter. Errors become the API's error body.
 */
export const makeHandler = (deps: PoolApiDeps) => {
  const { jobs, pools, claims, queue, poolEvents: events, clock, ids, macs } = deps;
  const verifyVm = makeVerifyCloneVm({ cloner: deps.cloner });
  const access = deps.accessFor(serviceNameOf('pool-api'));
  const submitClone = makeSubmitClone({ jobs, queue, clock, ids, access: internalAccess('warm-pool'), macs });
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const manage = makeManagePools({ pools, jobs, events, clock });
  const routes = makePoolApiRoutes({
    access,
    putPool: manage.put,
    getPool: manage.get,
    listPools: manage.list,
    deletePool: makeDeletePool({ pools, jobs, claims, requestDestroy, clock }),
    claim: makeClaimFromPool({ pools, jobs, claims, submitClone, verifyVm, requestDestroy, events, clock, ids }),
    release: makeReleasePoolClone({ jobs, requestDestroy, events, clock }),
  });
  const log = deps.logger(serviceNameOf('pool-api'));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler((event, context) => dispatchRoute(routes, event, context, log));
};
