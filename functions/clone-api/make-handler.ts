import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AccessConfigSchema } from '#shared/access/config';
import { makeCloneApiRoutes } from '#shared/clones/api/clone-api-routes';
import { makeGetClone } from '#shared/clones/use-cases/get-clone';
import { makeListClones } from '#shared/clones/use-cases/list-clones';
import { makeDestroyClone } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { makeSubmitOnce } from '#shared/clones/use-cases/submit-once';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { idempotencyFamily } from '#shared/composition/idempotency-deps';
import { macFamily } from '#shared/composition/mac-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ApiConfigSchema } from '#shared/config/service-config';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makeStatsRoutes } from '#shared/stats/api/stats-routes';
import { makeGetStats } from '#shared/stats/use-cases/get-stats';

export type CloneApiDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'queue' | 'clock' | 'ids' | 'macs' | 'submissions' | 'logger' | 'accessFor'
>;

/** What this function reads from its environment (validated once, at cold start), the policy included. */
export const configSchema = ApiConfigSchema.safeExtend(AccessConfigSchema.shape);

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, macFamily, idempotencyFamily, accessFamily);

/**
 * The HTTP API: one function, routes dispatched on API Gateway's routeKey, each for the caller's principal and as the
 * policy allows (read at cold start: a policy that does not parse stops the function). Errors become the API's error
 * body; denials are logged and counted.
 */
export const makeHandler = (deps: CloneApiDeps) => {
  const { jobs, queue, clock, ids, macs } = deps;
  const serviceName = serviceNameOf('clone-api');
  const access = deps.accessFor(serviceName);
  const submit = makeSubmitClone({ jobs, queue, clock, ids, access, macs });
  const routes = {
    ...makeCloneApiRoutes({
      submit: makeSubmitOnce({ ledger: deps.submissions, jobs, queue, submit, clock, ids, access }),
      getClone: makeGetClone({ jobs, access }),
      listClones: makeListClones({ jobs, access }),
      requestDestroy: makeDestroyClone({ jobs, queue, clock, access }),
    }),
    ...makeStatsRoutes({ getStats: makeGetStats({ jobs, clock, access }) }),
  };
  const log = deps.logger(serviceName);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler((event, context) => dispatchRoute(routes, event, context, log));
};
