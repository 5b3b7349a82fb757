import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AccessConfigSchema } from '#shared/access/config';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { statusFamily } from '#shared/composition/status-deps';
import { vcenterFamily } from '#shared/composition/vcenter-deps';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makeStatusRoutes } from '#shared/status/api/status-routes';
import { StatusConfigSchema } from '#shared/status/config';
import { makeReportStatus } from '#shared/status/use-cases/report-status';

export type StatusApiDeps = Pick<
  ReturnType<typeof buildDeps>,
  'vcenterProbe' | 'queueDepths' | 'jobCensus' | 'clock' | 'logger' | 'accessFor'
>;

/** What this function reads from its environment (validated once, at cold start), the policy included. */
export const configSchema = StatusConfigSchema.safeExtend(AccessConfigSchema.shape);

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(
  coreFamily,
  awsFamily,
  secretFamily,
  vcenterFamily,
  statusFamily,
  accessFamily,
);

/**
 * `GET /v1/status`, for operators: vCenter's login, the queues' depths, jobs per status and the oldest unfinished
 * one. Runs next to vCenter (as the worker does) with read-only access to the table and the queues.
 */
export const makeHandler = (deps: StatusApiDeps) => {
  const serviceName = serviceNameOf('status-api');
  const routes = makeStatusRoutes(
    makeReportStatus({
      vcenter: deps.vcenterProbe,
      queues: deps.queueDepths,
      census: deps.jobCensus,
      clock: deps.clock,
      access: deps.accessFor(serviceName),
    }),
  );
  const log = deps.logger(serviceName);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler((event, context) => dispatchRoute(routes, event, context, log));
};
