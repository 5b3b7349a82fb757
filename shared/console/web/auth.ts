/**
 * How the console proves who it is to the v1 API. Today: a bearer token (`npm start`'s), pasted once or handed over
 * in the URL fragment, kept in sessionStorage (this tab only, gone when it closes). The seam for OIDC sign-in
 * (design §12): another Auth whose `signIn` sends the browser to the issuer and whose `headers` carry its ID token;
 * nothing else in the console changes.
 */
export type Auth = {
  /** `token`: the console asks for one (the sign-in form). */
  readonly kind: 'token';
  signedIn(): boolean;
  /** Headers every API request carries. */
  headers(): Record<string, string>;
  signIn(token: string): void;
  signOut(): void;
};

const KEY = 'instaclone.token';

/** A bearer token in sessionStorage. */
export const tokenAuth = (storage: Storage): Auth => ({
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
export const adoptFragmentToken = (auth: Auth, location: Location, history: History): void => {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  auth.signIn(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/jobs`);
};
