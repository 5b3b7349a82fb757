import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Route } from '../clones/api/clone-api-routes.js';
import { jsonResponse, toErrorResponse } from './error-response.js';

/**
 * Runs the route for the event's API Gateway route key: 404 for an unknown key, and every error turned into the
 * API's error body (server-side failures logged with their cause, never sent).
 */
export const dispatchRoute = async (
  routes: Record<string, Route>,
  event: APIGatewayProxyEventV2,
  context: Context,
  logger: Pick<Logger, 'error'>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const route = routes[event.routeKey];
  if (!route) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No route ${event.routeKey}` } });
  try {
    return await route(event, context);
  } catch (err) {
    const response = toErrorResponse(err);
    if ((response.statusCode ?? 500) >= 500)
      logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
    return response;
  }
};
