import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { AuthenticationError } from '../access/model/access-errors.js';
import { iamPrincipal, oidcPrincipal, type Principal, tokenPrincipal } from '../access/model/principal.js';

/**
 * What API Gateway (HTTP API, payload 2.0) puts in `requestContext.authorizer`: `iam` for IAM (SigV4) routes, `jwt`
 * with the token's claims (strings) for JWT authorizer routes, `lambda` with an authorizer's context. The local
 * gateway fills the same fields: `jwt` for OIDC tokens it verified, `lambda: {kind: "token", name}` for named tokens.
 */
const AuthorizerSchema = z.union([
  z.object({ iam: z.object({ userArn: z.string().startsWith('arn:') }) }),
  z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }),
  z.object({ lambda: z.object({ kind: z.literal('token'), name: z.string().min(1).max(64) }) }),
]);

/**
 * The principal behind an API request, from what API Gateway's authorizer established (nothing in the request's
 * headers or body is trusted for it). Throws AuthenticationError (401) when the route had no authorizer.
 */
export const principalOfRequest = (event: APIGatewayProxyEventV2): Principal => {
  const parsed = AuthorizerSchema.safeParse((event.requestContext as { authorizer?: unknown }).authorizer);
  if (!parsed.success) throw new AuthenticationError('the request carries no caller identity');
  const authorizer = parsed.data;
  if ('iam' in authorizer) return iamPrincipal(authorizer.iam.userArn);
  if ('jwt' in authorizer) return oidcPrincipal(authorizer.jwt.claims);
  return tokenPrincipal(authorizer.lambda.name);
};

/** The `requestContext.authorizer` the local gateway gives a request made by `principal` (what AWS would give). */
export const authorizerContextOf = (principal: Principal): Record<string, unknown> => {
  switch (principal.kind) {
    case 'oidc':
      return { jwt: { claims: principal.attributes, scopes: null } };
    case 'iam':
      return { iam: { userArn: principal.id, accountId: principal.attributes.accountId ?? '' } };
    case 'token':
      return { lambda: { kind: 'token', name: principal.attributes.name ?? '' } };
    default:
      throw new Error(`a ${principal.kind} principal never authenticates through the gateway`);
  }
};
