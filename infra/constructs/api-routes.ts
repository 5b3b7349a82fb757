import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * How the gateway authenticates a route:
 * - `iam`: SigV4, checked by API Gateway (callers need `execute-api:Invoke` on the route);
 * - `public`: no authentication (health, API description);
 * - `signed`: no gateway auth; the API function verifies the sender's signature (webhooks, chat).
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

/** Webhook and chat entry points, wired only when the stage enables `features.signedRoutes`. */
export const SIGNED_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.POST, path: '/v1/webhooks/{provider}', auth: 'signed' },
  { method: HttpMethod.POST, path: '/v1/chat/{provider}', auth: 'signed' },
];
