import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { poolFamily } from '#shared/composition/pool-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makePoolApiRoutes } from '#shared/pools/api/pool-api-routes';
import { PoolApiConfigSchema } from '#shared/pools/config';
import { makeClaimFromPool } from '#shared/pools/use-cases/claim-from-pool';
import { makeDeletePool } from '#shared/pools/use-cases/delete-pool';
import { makeManagePools } from '#shared/pools/use-cases/manage-pools';
import { makeReleasePoolClone } from '#shared/pools/use-cases/release-pool-clone';

export type PoolApiDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'pools' | 'claims' | 'queue' | 'poolEvents' | 'clock' | 'ids' | 'logger'
>;

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = PoolApiConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, poolFamily);

/** The pool routes (`/v1/pools*`), dispatched on API Gateway's routeKey. Errors become the API's error body. */
export const makeHandler = ({ jobs, pools, claims, queue, poolEvents: events, clock, ids, logger }: PoolApiDeps) => {
  const submitClone = makeSubmitClone({ jobs, queue, clock, ids });
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const manage = makeManagePools({ pools, jobs, events, clock });
  const routes = makePoolApiRoutes({
    putPool: manage.put,
    getPool: manage.get,
    listPools: manage.list,
    deletePool: makeDeletePool({ pools, jobs, claims, requestDestroy, clock }),
    claim: makeClaimFromPool({ pools, jobs, claims, submitClone, events, clock, ids }),
    release: makeReleasePoolClone({ jobs, requestDestroy, events, clock }),
  });
  const log = logger(serviceNameOf('pool-api'));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler((event, context) => dispatchRoute(routes, event, context, log));
};
