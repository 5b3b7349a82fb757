import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { isAppError } from '../errors/app-error.js';
import { jsonResponse, policyOf, toErrorResponse } from './error-response.js';

/** One API route: an API Gateway v2 event in, a structured result out. */
export type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export type FailureLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Logs a failed request as loudly as its code's policy says: an expected refusal (a 4xx, a degraded pool) at info or
 * warn with its code, status and message and no stack; anything else at error with the error itself (stack, cause).
 */
export const logRequestFailure = (logger: FailureLogger, routeKey: string, err: unknown): void => {
  const policy = policyOf(err);
  if (policy.log === 'error' || !isAppError(err)) {
    logger.error('request failed', { routeKey, error: err as Error });
    return;
  }
  logger[policy.log]('request refused', { routeKey, status: policy.status, code: err.code, message: err.message });
};

/**
 * Runs the route for the event's API Gateway route key: 404 for an unknown key, and every error turned into the
 * API's error body (server-side failures logged with their cause, never sent).
 */
export const dispatchRoute = async (
  routes: Record<string, Route>,
  event: APIGatewayProxyEventV2,
  context: Context,
  logger: FailureLogger,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const route = routes[event.routeKey];
  if (!route) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No route ${event.routeKey}` } });
  try {
    return await route(event, context);
  } catch (err) {
    logRequestFailure(logger, event.routeKey, err);
    return toErrorResponse(err);
  }
};
