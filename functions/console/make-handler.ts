import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { consoleFamily } from '#shared/composition/console-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { serviceNameOf } from '#shared/composition/service-functions';
import { makeConsoleRoutes } from '#shared/console/api/console-routes';
import { ConsoleConfigSchema } from '#shared/console/config';
import { issuerOriginsOf } from '#shared/console/model/console-oidc';
import { dispatchRoute } from '#shared/http/dispatch-route';

export type ConsoleSiteDeps = Pick<ReturnType<typeof buildDeps>, 'consoleAssets' | 'consoleOidc' | 'logger'>;

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = ConsoleConfigSchema;

/** This function's families of the adapters factory: no AWS SDK at all. */
export const buildDeps = composeFamilies(coreFamily, consoleFamily);

/** The web console's page and files (`GET /`, `GET /console/{file}`); its data comes from the v1 API. */
export const makeHandler = ({ consoleAssets, consoleOidc, logger }: ConsoleSiteDeps) => {
  const routes = makeConsoleRoutes(consoleAssets, issuerOriginsOf(consoleOidc));
  const log = logger(serviceNameOf('console'));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler((event, context) => dispatchRoute(routes, event, context, log));
};
