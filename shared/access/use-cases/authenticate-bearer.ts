import { AuthenticationError } from '../model/access-errors.js';
import type { Principal } from '../model/principal.js';
import type { NamedTokens, OidcVerifier } from '../ports/credential-verifiers.js';

export type AuthenticateBearerDeps = {
  tokens: NamedTokens;
  /** Absent when no OIDC issuer is trusted: a JWT is then refused. */
  oidc?: OidcVerifier | undefined;
};

/** Three base64url parts: a JWS in compact form (the last part is empty for `alg: none`, which is then refused). */
const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

/**
 * The principal behind an `Authorization: Bearer …` header, as the local gateway establishes it before invoking a
 * handler (API Gateway's IAM auth and JWT authorizer do it on AWS): a JWT is verified as an OIDC token, anything else
 * is looked up among the named tokens. Rejects with AuthenticationError (a 401) when there is no bearer token, it is
 * unknown, or it fails verification; with IssuerUnavailableError when an issuer's keys cannot be fetched.
 */
export const makeAuthenticateBearer =
  ({ tokens, oidc }: AuthenticateBearerDeps) =>
  async (authorization: string | undefined): Promise<Principal> => {
    // The scheme in any case (RFC 7235), as API Gateway and the rest of the gateway accept it.
    const match = /^\s*bearer +([\x21-\x7e]{1,8192})\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new AuthenticationError('missing bearer token');
    const token = match[1];
    if (looksLikeJwt(token)) {
      if (!oidc) throw new AuthenticationError('OIDC tokens are not accepted: the policy trusts no issuer');
      return oidc.verify(token);
    }
    const principal = await tokens.principalOf(token);
    if (!principal) throw new AuthenticationError('unknown bearer token');
    return principal;
  };
