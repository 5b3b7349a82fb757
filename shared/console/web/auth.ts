import type { ApiError } from './api.js';

/** What every way of signing in offers the console: whether it is signed in, the headers, and signing out. */
type Session = {
  signedIn(): boolean;
  /** Headers every API request carries. */
  headers(): Record<string, string>;
  /** Forgets the credential (sessionStorage); the next request is unauthenticated. */
  signOut(): void;
};

/** A bearer token (`npm start`'s, a named token), pasted into the sign-in form or handed over in the URL fragment. */
export type TokenAuth = Session & {
  readonly kind: 'token';
  signIn(token: string): void;
};

/** OIDC sign-in at an issuer (`web/oidc-auth.ts`): the sign-in page shows "Sign in with <issuerName>". */
export type OidcAuth = Session & {
  readonly kind: 'oidc';
  readonly issuerName: string;
  /** Sends the browser to the issuer; rejects (an ApiError with status 0) when the issuer cannot be discovered. */
  signIn(): Promise<void>;
  /** Finishes a sign-in the issuer sent back to `answer` (the page's URL); resolves to why it failed, if it did. */
  completeSignIn(answer: URL): Promise<ApiError | undefined>;
  /** The API's 401, worded for this sign-in (an expired ID token says so). */
  refusalOf(error: ApiError): ApiError;
};

/**
 * How the console proves who it is to the v1 API: a bearer token (`kind: 'token'`, the token form) or an OIDC ID
 * token (`kind: 'oidc'`, when the console's settings name an issuer). Either is kept in sessionStorage (this tab
 * only, gone when it closes) and sent as `Authorization: Bearer`.
 */
export type Auth = TokenAuth | OidcAuth;

const KEY = 'instaclone.token';

/** A bearer token in sessionStorage. */
export const tokenAuth = (storage: Storage): TokenAuth => ({
  kind: 'token',
  signedIn: () => Boolean(storage.getItem(KEY)),
  headers: (): Record<string, string> => {
    const token = storage.getItem(KEY);
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  signIn: (token) => storage.setItem(KEY, token.trim()),
  signOut: () => storage.removeItem(KEY),
});

/**
 * Takes a token from the URL fragment (`#token=…`, as `npm start` prints it) into the session and removes it from
 * the address bar and history. A fragment never reaches a server, so the token is in no request log.
 */
export const adoptFragmentToken = (auth: TokenAuth, location: Location, history: History): void => {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  auth.signIn(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/jobs`);
};
