import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeCloneApiRoutes } from '#shared/clones/api/clone-api-routes';
import { makeGetClone } from '#shared/clones/use-cases/get-clone';
import { makeListClones } from '#shared/clones/use-cases/list-clones';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { makeSubmitOnce } from '#shared/clones/use-cases/submit-once';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { idempotencyFamily } from '#shared/composition/idempotency-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ApiConfigSchema } from '#shared/config/service-config';
import { dispatchRoute } from '#shared/http/dispatch-route';

export type CloneApiDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'queue' | 'clock' | 'ids' | 'submissions' | 'logger'
>;

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = ApiConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, idempotencyFamily);

/** The HTTP API: one function, routes dispatched on API Gateway's routeKey. Errors become the API's error body. */
export const makeHandler = ({ jobs, queue, clock, ids, submissions, logger }: CloneApiDeps) => {
  const submit = makeSubmitClone({ jobs, queue, clock, ids });
  const routes = makeCloneApiRoutes({
    submit: makeSubmitOnce({ ledger: submissions, jobs, queue, submit, clock, ids }),
    getClone: makeGetClone({ jobs }),
    listClones: makeListClones({ jobs }),
    requestDestroy: makeRequestDestroy({ jobs, queue, clock }),
  });
  const log = logger(serviceNameOf('clone-api'));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler((event, context) => dispatchRoute(routes, event, context, log));
};
