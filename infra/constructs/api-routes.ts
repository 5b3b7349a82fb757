import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * How the gateway authenticates a route:
 * - `iam`: SigV4, checked by API Gateway (callers need `execute-api:Invoke` on the route);
 * - `public`: no authentication (health, API description);
 * - `signed`: no gateway auth; the function verifies the sender's signature (the hooks function's routes).
 */
export type RouteAuth = 'iam' | 'public' | 'signed';

export type ApiRoute = { readonly method: HttpMethod; readonly path: string; readonly auth: RouteAuth };

/** The v1 API served by the API function (design §4). Every `/v1/clones*` route requires IAM auth. */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.POST, path: '/v1/clones', auth: 'iam' },
  { method: HttpMethod.GET, path: '/v1/clones', auth: 'iam' },
  { method: HttpMethod.GET, path: '/v1/clones/{jobId}', auth: 'iam' },
  { method: HttpMethod.DELETE, path: '/v1/clones/{jobId}', auth: 'iam' },
  { method: HttpMethod.GET, path: '/v1/health', auth: 'public' },
  { method: HttpMethod.GET, path: '/v1/openapi.json', auth: 'public' },
];
