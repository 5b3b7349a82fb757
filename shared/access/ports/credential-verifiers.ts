import type { Principal } from '../model/principal.js';

/**
 * Verifies an OIDC JWT against the trusted issuers and answers its principal. Rejects with AuthenticationError for a
 * token that must not be accepted, with IssuerUnavailableError when the issuer's keys cannot be fetched.
 */
export interface OidcVerifier {
  verify(token: string): Promise<Principal>;
}

/** Looks a named bearer token up; undefined when it is not one of ours. Never logs or stores the token itself. */
export interface NamedTokens {
  principalOf(token: string): Promise<Principal | undefined>;
}
