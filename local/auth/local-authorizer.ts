import { join } from 'node:path';
import { makeJoseOidcVerifier } from '#shared/access/adapters/jose-oidc-verifier';
import { DEFAULT_TOKEN_NAME } from '#shared/access/model/principal';
import { makeAuthenticateBearer } from '#shared/access/use-cases/authenticate-bearer';
import { authorizerContextOf } from '#shared/http/principal-of-request';
import type { LocalStackOptions } from '../stack-options.js';
import { namedTokenFile } from './named-token-file.js';

/**
 * The local gateway's stand-in for API Gateway's authorizers: a bearer token is `npm start`'s own (`token:default`),
 * a named token (`<dataDir>/tokens.json` or `options.tokens`), or an OIDC JWT of an issuer the policy trusts, verified
 * with jose against the issuer's JWKS. The principal goes into `requestContext.authorizer` as AWS would put it.
 */
export const localAuthorizer = (
  options: Pick<LocalStackOptions, 'dataDir' | 'policy' | 'tokens'>,
  apiToken: string,
) => {
  const tokens = namedTokenFile(options.dataDir && join(options.dataDir, 'tokens.json'), {
    ...options.tokens,
    [DEFAULT_TOKEN_NAME]: apiToken,
  });
  const issuers = options.policy?.issuers ?? [];
  const oidc = issuers.length > 0 ? makeJoseOidcVerifier({ issuers }) : undefined;
  const authenticate = makeAuthenticateBearer({ tokens, oidc });
  return async (authorization: string | undefined) => authorizerContextOf(await authenticate(authorization));
};
