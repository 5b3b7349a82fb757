import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AppError, type FieldIssue, isAppError } from '../errors/app-error.js';

export type ErrorBody = { error: { code: string; message: string; details?: FieldIssue[] } };

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const jsonResponse = json;

/** The HTTP status for each error code; exhaustive, so a new code cannot be forgotten. */
export const statusFor = (err: AppError): number => {
  switch (err.code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_JSON':
      return 400;
    case 'JOB_NOT_FOUND':
    case 'POOL_NOT_FOUND':
    case 'NOT_IN_POOL':
      return 404;
    case 'NOT_CLAIMED':
      return 409;
    case 'POOL_DEGRADED':
      return 503;
    case 'IDEMPOTENCY_CONFLICT':
    case 'STALE_TRANSITION':
      return 409;
    case 'VCENTER_FAULT':
    case 'VCENTER_UNAVAILABLE':
    case 'TASK_STILL_RUNNING':
    case 'WAITING_FOR_GUEST':
    case 'ATTEMPT_IN_PROGRESS':
    case 'GUEST_CONFIG_FAILED':
      return 502;
    case 'MALFORMED_MESSAGE':
    case 'CONFIG_INVALID':
      return 500;
    default:
      return err.code satisfies never;
  }
};

/**
 * Turns any error into the API's error body. AppErrors keep their code, message and field details;
 * anything else is a 500 that never leaks internals.
 */
export const toErrorResponse = (err: unknown): APIGatewayProxyStructuredResultV2 => {
  // Only a deliberate answer keeps its message: internal failures (500) and upstream ones (502) never leak details.
  if (!isAppError(err) || statusFor(err) === 500 || statusFor(err) === 502) {
    return json(500, { error: { code: 'INTERNAL', message: 'Internal error' } } satisfies ErrorBody);
  }
  const details = 'issues' in err ? (err.issues as FieldIssue[]) : undefined;
  return json(statusFor(err), {
    error: { code: err.code, message: err.message, ...(details && { details }) },
  } satisfies ErrorBody);
};
