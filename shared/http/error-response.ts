import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type FieldIssue, isAppError } from '../errors/app-error.js';
import { type ErrorPolicy, policyFor } from '../errors/error-policy.js';

/** `rule`: on a 403 or 429 of the policy, the rule that refused (null: no rule grants the action). */
export type ErrorBody = { error: { code: string; message: string; details?: FieldIssue[]; rule?: string | null } };

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const jsonResponse = json;

const INTERNAL_BODY = { error: { code: 'INTERNAL', message: 'Internal error' } } satisfies ErrorBody;

/** The outcome policy of any error: an AppError's by its code, anything else is internal (500, logged with its stack). */
export const policyOf = (err: unknown): ErrorPolicy =>
  isAppError(err) ? policyFor(err.code) : { status: 500, disclose: 'nothing', log: 'error' };

/**
 * Turns any error into the API's error body, as `policyFor` says: AppErrors meant for the caller keep their code,
 * message and field details; a failed dependency shows its code only; anything else is a 500 that never leaks
 * internals.
 */
export const toErrorResponse = (err: unknown): APIGatewayProxyStructuredResultV2 => {
  const policy = policyOf(err);
  if (!isAppError(err) || policy.disclose === 'nothing') return json(500, INTERNAL_BODY);
  if (policy.disclose === 'code') return json(policy.status, { error: { code: err.code, message: 'Try again later' } });
  const details = 'issues' in err ? (err.issues as FieldIssue[]) : undefined;
  const rule = 'rule' in err ? { rule: err.rule as string | null } : undefined;
  return json(policy.status, {
    error: { code: err.code, message: err.message, ...(details && { details }), ...rule },
  } satisfies ErrorBody);
};
