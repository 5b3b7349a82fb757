import { createRemoteJWKSet, decodeJwt, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { AuthenticationError, IssuerUnavailableError } from '../model/access-errors.js';
import type { Issuer } from '../model/policy.js';
import { oidcPrincipal } from '../model/principal.js';
import type { OidcVerifier } from '../ports/credential-verifiers.js';

/** Asymmetric algorithms only: `none` and HMAC (a public key used as a shared secret) are never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'exp', 'iat'];

export type JoseOidcVerifierOptions = {
  issuers: readonly Issuer[];
  /** Default: the system clock. */
  now?: () => Date;
  /** Clock skew accepted on `exp`, `nbf` and `iat`. Default 30 s. */
  clockToleranceSeconds?: number;
  /** Bound on the discovery and JWKS requests. Default 5 s. */
  timeoutMs?: number;
};

/** Reasons by jose error code, phrased for the caller. */
const REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'token expired',
  ERR_JOSE_ALG_NOT_ALLOWED: 'token algorithm is not allowed (unsigned or symmetric)',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'token signature does not verify',
  ERR_JWKS_NO_MATCHING_KEY: "token is not signed with one of the issuer's keys",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "token is not signed with one of the issuer's keys",
  ERR_JWS_INVALID: 'token is not a signed JWT',
  ERR_JWT_INVALID: 'token is not a valid JWT',
};
const UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_NOT_SUPPORTED']);

const codeOf = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;

const rejection = (err: unknown, issuer: Issuer): Error => {
  const code = codeOf(err);
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = (err as { claim?: string }).claim ?? 'a claim';
    if (claim === 'aud') return new AuthenticationError(`token audience is not ${issuer.audience}`);
    return new AuthenticationError(`token claim "${claim}" is missing or fails its check`);
  }
  const reason = code === undefined ? undefined : REASONS[code];
  if (reason) return new AuthenticationError(reason);
  if (code === undefined || UNAVAILABLE.has(code)) {
    return new IssuerUnavailableError(`keys of ${issuer.issuer} could not be fetched`, { cause: err });
  }
  return new AuthenticationError('token does not verify');
};

/** The issuer's `jwks_uri` from its discovery document, which must name the same issuer. */
const discoverJwksUri = async (issuer: Issuer, timeoutMs: number): Promise<URL> => {
  const url = `${issuer.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (err) {
    throw new IssuerUnavailableError(`discovery document of ${issuer.issuer} could not be fetched`, { cause: err });
  }
  if (document.issuer !== issuer.issuer || typeof document.jwks_uri !== 'string') {
    throw new IssuerUnavailableError(`discovery document of ${issuer.issuer} names another issuer or no jwks_uri`);
  }
  return new URL(document.jwks_uri);
};

/**
 * OIDC verification with `jose` against each trusted issuer's JWKS (from `jwksUri`, or discovered once from
 * `<issuer>/.well-known/openid-configuration`; keys cached and refetched on an unknown `kid`, as jose does). The
 * token's `iss` picks the issuer; signature (asymmetric algorithms only), `iss`, `aud` (the issuer's configured
 * audience), `exp`, `nbf` and `iat` are checked, and `sub` is required. Only then are the claims trusted.
 */
export const makeJoseOidcVerifier = (options: JoseOidcVerifierOptions): OidcVerifier => {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  const keySetOf = (issuer: Issuer): Promise<JWTVerifyGetKey> => {
    let keySet = keySets.get(issuer.issuer);
    if (!keySet) {
      keySet = (issuer.jwksUri ? Promise.resolve(new URL(issuer.jwksUri)) : discoverJwksUri(issuer, timeoutMs)).then(
        (uri) => createRemoteJWKSet(uri, { timeoutDuration: timeoutMs }),
      );
      // A failed discovery is retried by the next request rather than remembered.
      keySet.catch(() => keySets.delete(issuer.issuer));
      keySets.set(issuer.issuer, keySet);
    }
    return keySet;
  };
  return {
    async verify(token) {
      let claimedIssuer: unknown;
      try {
        claimedIssuer = decodeJwt(token).iss;
      } catch {
        throw new AuthenticationError('token is not a valid JWT');
      }
      const issuer = options.issuers.find((i) => i.issuer === claimedIssuer);
      if (!issuer) throw new AuthenticationError('token issuer is not trusted');
      const keySet = await keySetOf(issuer);
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: issuer.issuer,
          audience: issuer.audience,
          algorithms: ALGORITHMS,
          requiredClaims: REQUIRED_CLAIMS,
          clockTolerance: options.clockToleranceSeconds ?? 30,
          ...(options.now && { currentDate: options.now() }),
        });
        return oidcPrincipal(payload);
      } catch (err) {
        throw rejection(err, issuer);
      }
    },
  };
};
