import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { ValidationError } from '../../errors/app-error.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import { JOB_STATUSES } from '../model/clone-job.js';
import type { ListClonesQuery } from '../use-cases/list-clones.js';

const LabelFilterSchema = z
  .string()
  .regex(/^[^=]+=/, 'must be key=value')
  .transform((s) => ({ key: s.slice(0, s.indexOf('=')), value: s.slice(s.indexOf('=') + 1) }));

/**
 * Query string of `GET /v1/clones`. `status` and `label` may repeat: `status=SUCCEEDED&status=FAILED` (or
 * `status=SUCCEEDED,FAILED`) is any of them, `label=team=ci&label=env=dev` is all of them. `cursor` continues a
 * listing with the same filter and `order` (`oldest`, the default, or `newest`); `requestedBy` keeps the jobs of one
 * principal; `limit` 1-100, default 50. Each parameter is a list of the values it was given.
 */
export const ListQuerySchema = z
  .object({
    status: z
      .array(z.enum(JOB_STATUSES))
      .max(JOB_STATUSES.length)
      .optional()
      .describe('Repeat for any of several statuses (or separate them with commas)'),
    label: z
      .array(LabelFilterSchema)
      .max(20, 'at most 20 label filters')
      .optional()
      .describe('key=value; repeat for jobs with all of several labels'),
    requestedBy: z
      .array(z.string().min(1).max(1024))
      .max(1, 'give one requestedBy')
      .optional()
      .describe('A principal id (`token:alice`, an IAM ARN, `oidc:<issuer>#<sub>`, …): only the jobs it requested'),
    order: z
      .array(z.enum(['oldest', 'newest']))
      .max(1, 'give one order')
      .optional()
      .describe('oldest (the default): status by status, oldest first; newest: every status merged, newest first'),
    cursor: z.array(z.string().max(2048)).max(1, 'give one cursor').optional(),
    limit: z.array(z.coerce.number().int().min(1).max(100)).max(1, 'give one limit').optional(),
  })
  .strict();

/**
 * The query's parameters as lists, read from the raw query string: API Gateway joins repeated parameters with
 * commas in `queryStringParameters`, which would merge two labels whose values hold commas. Statuses may also be
 * comma-separated. Null-prototype, so a parameter named `constructor` is only a name.
 */
const parametersOf = (event: Pick<APIGatewayProxyEventV2, 'rawQueryString' | 'queryStringParameters'>) => {
  const params: Record<string, string[]> = Object.create(null);
  const add = (name: string, value: string) => {
    params[name] = [...(params[name] ?? []), value];
  };
  if (event.rawQueryString !== undefined) {
    for (const [name, value] of new URLSearchParams(event.rawQueryString)) add(name, value);
  } else {
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) add(name, value ?? '');
  }
  if (params.status) params.status = params.status.flatMap((s) => s.split(','));
  return { ...params };
};

/** Parses the listing's query; rejects with ValidationError naming each bad (or unknown) query parameter. */
export const parseListQuery = (
  event: Pick<APIGatewayProxyEventV2, 'rawQueryString' | 'queryStringParameters'>,
): ListClonesQuery => {
  const result = ListQuerySchema.safeParse(parametersOf(event));
  if (!result.success) throw new ValidationError(toFieldIssues(result.error, 'query'));
  const { status, label, requestedBy, cursor, limit, order } = result.data;
  return {
    limit: limit?.[0] ?? 50,
    ...(order?.[0] && { order: order[0] }),
    ...(status && { statuses: status }),
    ...(label && { labels: label }),
    ...(requestedBy?.[0] && { requestedBy: requestedBy[0] }),
    ...(cursor?.[0] && { cursor: cursor[0] }),
  };
};
