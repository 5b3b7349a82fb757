import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '../../access/model/principal.js';
import { ValidationError } from '../../errors/app-error.js';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import { idempotencyKeysOf } from '../../http/idempotency-key.js';
import { openApiDocument } from '../../http/openapi.js';
import { parseJsonBody } from '../../http/parse-json-body.js';
import { principalOfRequest } from '../../http/principal-of-request.js';
import { toJobView } from '../model/clone-job.js';
import { CallerCloneRequestSchema } from '../model/clone-request.js';
import { JobIdSchema } from '../model/job-id.js';
import type { DestroyClone, GetClone, SubmitOnce } from '../ports/clone-commands.js';
import type { ListClonesPage, ListClonesQuery } from '../use-cases/list-clones.js';
import { parseListQuery } from './list-query.js';

export type CloneApiDeps = {
  submit: SubmitOnce;
  getClone: GetClone;
  listClones: (query: ListClonesQuery, principal: Principal) => Promise<ListClonesPage>;
  requestDestroy: DestroyClone;
};

/** The `{jobId}` path parameter, checked before any lookup; throws ValidationError naming `jobId`. */
const jobIdOf = (event: APIGatewayProxyEventV2): string => {
  const parsed = JobIdSchema.safeParse(event.pathParameters?.jobId ?? '');
  if (!parsed.success) throw new ValidationError([{ field: 'jobId', message: parsed.error.issues[0]?.message ?? '' }]);
  return parsed.data;
};

/**
 * The v1 routes by API Gateway route key: each takes the caller's principal from the request context (what API
 * Gateway's authorizer, or the local gateway, established), parses its input, calls one use case and shapes the
 * answer. Use-case errors propagate; the handler turns them into the API's error body.
 */
export const makeCloneApiRoutes = ({
  submit,
  getClone,
  listClones,
  requestDestroy,
}: CloneApiDeps): Record<string, Route> => ({
  'POST /v1/clones': async (event) => {
    const principal = principalOfRequest(event);
    const request = parseJsonBody(CallerCloneRequestSchema, event);
    const jobs = await submit(request, principal, idempotencyKeysOf(event));
    const [first] = jobs;
    return jsonResponse(202, request.count === 1 && first ? toJobView(first) : { jobs: jobs.map(toJobView) });
  },
  'GET /v1/clones': async (event) => {
    const principal = principalOfRequest(event);
    const page = await listClones(parseListQuery(event), principal);
    return jsonResponse(200, { jobs: page.jobs.map(toJobView), ...(page.cursor && { cursor: page.cursor }) });
  },
  'GET /v1/clones/{jobId}': async (event) =>
    jsonResponse(200, toJobView(await getClone(jobIdOf(event), principalOfRequest(event)))),
  'DELETE /v1/clones/{jobId}': async (event) =>
    jsonResponse(202, toJobView(await requestDestroy(jobIdOf(event), principalOfRequest(event)))),
  'GET /v1/health': async () => jsonResponse(200, { status: 'ok' }),
  'GET /v1/openapi.json': async () => jsonResponse(200, openApiDocument()),
});
