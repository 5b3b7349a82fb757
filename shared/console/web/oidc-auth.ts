import * as oauth from 'oauth4webapi';
import type { ConsoleSettings } from '../model/console-oidc.js';
import { formatClock } from '../view/format.js';
import type { ApiError } from './api.js';
import type { OidcAuth } from './auth.js';

type OidcSettings = NonNullable<ConsoleSettings['oidc']>;
/** What one sign-in keeps across the trip to the issuer: only this tab can finish it. */
type Pending = { state: string; nonce: string; verifier: string; redirectUri: string };

const TOKEN_KEY = 'instaclone.oidc.idToken';
const PENDING_KEY = 'instaclone.oidc.pending';

/** A sign-in that failed, worded for the sign-in page (status 0: the API was not asked). */
const problem = (code: string, message: string): ApiError => ({ status: 0, code, message });

/** The `exp` of a JWT, read without verifying it (the API verifies; this only words a refusal). */
const expiryOf = (jwt: string): Date | undefined => {
  try {
    const payload = JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
};

/** What went wrong in a step of the flow, as the person should read it. */
const wordingOf = (err: unknown, settings: OidcSettings): ApiError => {
  const code = (err as { code?: unknown }).code;
  if (err instanceof oauth.AuthorizationResponseError || code === oauth.AUTHORIZATION_RESPONSE_ERROR) {
    const { error, error_description } = err as oauth.AuthorizationResponseError;
    return problem('SIGN_IN_REFUSED', `${settings.name} refused the sign-in: ${error_description ?? error}`);
  }
  if (code === oauth.RESPONSE_BODY_ERROR) {
    const { error, error_description } = err as oauth.ResponseBodyError;
    return problem('SIGN_IN_TOKEN_REFUSED', `${settings.name} refused the code: ${error_description ?? error}`);
  }
  if (err instanceof TypeError) {
    return problem(
      'SIGN_IN_UNREACHABLE',
      `${settings.issuer} did not answer (${err.message}); if its token endpoint is on another host, the console's tokenEndpoint setting must name it`,
    );
  }
  return problem('SIGN_IN_INVALID', `${settings.name}'s answer was refused: ${(err as Error).message}`);
};

/** The issuer as oauth4webapi talks to it: discovery, the public client, plain http only for a loopback issuer. */
type IssuerClient = {
  client: oauth.Client;
  options: { [oauth.allowInsecureRequests]?: true };
  discover(): Promise<oauth.AuthorizationServer>;
};

const issuerClient = (settings: OidcSettings): IssuerClient => {
  const issuer = new URL(settings.issuer);
  // The setting allows http only on a loopback address (npm start, the tests' stand-in issuer).
  const options = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true as const } : {};
  return {
    client: { client_id: settings.clientId },
    options,
    discover: async () => oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options)),
  };
};

/** Where the browser goes to sign in: the issuer's authorization endpoint with the S256 challenge, state and nonce. */
const authorizationUrl = async (
  as: oauth.AuthorizationServer,
  settings: OidcSettings,
  pending: Pending,
): Promise<URL> => {
  if (!as.authorization_endpoint)
    throw problem('SIGN_IN_INVALID', `${settings.issuer} names no authorization_endpoint`);
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: pending.redirectUri,
    response_type: 'code',
    scope: settings.scopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  return url;
};

/** Trades the code of `answer` for the ID token, after oauth4webapi checked the state, the tokens and the nonce. */
const tradeCode = async ({ client, options, discover }: IssuerClient, pending: Pending, answer: URL) => {
  const as = await discover();
  const params = oauth.validateAuthResponse(as, client, answer, pending.state);
  const { redirectUri, verifier } = pending;
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    options,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  return tokens.id_token ?? '';
};

/**
 * OIDC sign-in with the authorization code flow and PKCE (S256), `state` and `nonce`, by oauth4webapi: a public
 * client (no secret in the page). `signIn` discovers the issuer, keeps the verifier, state and nonce in
 * sessionStorage and sends the browser to the issuer; the issuer sends it back to the console's own URL (origin and
 * path: the redirect URI to register), where `completeSignIn` checks the state, trades the code for tokens and keeps
 * the ID token (its audience is the client id) in sessionStorage for `Authorization: Bearer`. sessionStorage: this
 * tab only, gone when it closes. `now` words an expired token's refusal.
 */
export const oidcAuth = (
  settings: OidcSettings,
  storage: Storage,
  location: Location,
  now: () => number = Date.now,
): OidcAuth => {
  const issuer = issuerClient(settings);
  const signIn = async (): Promise<void> => {
    const pending: Pending = {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      verifier: oauth.generateRandomCodeVerifier(),
      redirectUri: `${location.origin}${location.pathname}`,
    };
    const url = await issuer
      .discover()
      .then((as) => authorizationUrl(as, settings, pending))
      .catch((err: unknown) => Promise.reject((err as ApiError).status === 0 ? err : wordingOf(err, settings)));
    storage.setItem(PENDING_KEY, JSON.stringify(pending));
    location.assign(url.href);
  };

  const completeSignIn = async (answer: URL): Promise<ApiError | undefined> => {
    const raw = storage.getItem(PENDING_KEY);
    storage.removeItem(PENDING_KEY);
    if (!raw) {
      return problem('SIGN_IN_NOT_STARTED', 'This tab started no sign-in (or it was used already). Sign in again.');
    }
    const pending = JSON.parse(raw) as Pending;
    if (answer.searchParams.get('state') !== pending.state) {
      return problem(
        'SIGN_IN_STATE_MISMATCH',
        `The answer from ${settings.name} does not belong to the sign-in this tab started (its state differs), so it was refused. Sign in again.`,
      );
    }
    try {
      storage.setItem(TOKEN_KEY, await tradeCode(issuer, pending, answer));
      return undefined;
    } catch (err) {
      return wordingOf(err, settings);
    }
  };

  const token = () => storage.getItem(TOKEN_KEY);
  return {
    kind: 'oidc',
    issuerName: settings.name,
    signedIn: () => Boolean(token()),
    headers: (): Record<string, string> => {
      const idToken = token();
      return idToken ? { authorization: `Bearer ${idToken}` } : {};
    },
    signIn,
    completeSignIn,
    refusalOf: (error) => {
      const expiry = expiryOf(token() ?? '');
      if (!expiry || expiry.getTime() > now()) return error;
      return {
        ...error,
        code: 'SIGN_IN_EXPIRED',
        message: `Your sign-in expired at ${formatClock(expiry)}. Sign in again.`,
      };
    },
    signOut: () => storage.removeItem(TOKEN_KEY),
  };
};
