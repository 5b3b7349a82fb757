import { useState } from 'preact/hooks';
import type { ApiError } from './api.js';
import type { Auth, OidcAuth, TokenAuth } from './auth.js';
import { ApiErrorNote } from './components.js';

type Props<A extends Auth> = { auth: A; refusal?: ApiError | undefined; onSignedIn: () => void };

/** What went wrong last, for an OIDC sign-in: the API's refusal (it has a status) or the sign-in's own. */
const oidcWhat = (refusal: ApiError | undefined) =>
  refusal?.status ? 'The API refused your sign-in' : 'The sign-in did not finish';

/** One button that sends the browser to the issuer; it comes back signed in (or with the reason on this page). */
const OidcSignIn = ({ auth, refusal }: Props<OidcAuth>) => {
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const shown = failure ?? refusal;
  return (
    <div class="sign-in card">
      <h1>Sign in</h1>
      <ApiErrorNote error={shown} what={oidcWhat(shown)} />
      <p>You sign in at {auth.issuerName}; the console keeps your ID token in this tab only.</p>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          auth.signIn().catch((error: ApiError) => {
            setFailure(error);
            setBusy(false);
          });
        }}
      >
        Sign in with {auth.issuerName}
      </button>
    </div>
  );
};

/** Asks for the API token once per tab; `npm start` prints a console URL that carries it in the fragment. */
const TokenSignIn = ({ auth, refusal, onSignedIn }: Props<TokenAuth>) => {
  const [token, setToken] = useState('');
  return (
    <form
      class="sign-in card"
      onSubmit={(e) => {
        e.preventDefault();
        if (!token.trim()) return;
        auth.signIn(token);
        onSignedIn();
      }}
    >
      <h1>Sign in</h1>
      <ApiErrorNote error={refusal} what="The API refused the token" />
      <p>
        Paste the API token (<code>npm start</code> prints it, and keeps it in <code>.instaclone/api-token</code>). It
        stays in this tab only.
      </p>
      <label for="token">API token</label>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="off"
        value={token}
        onInput={(e) => setToken((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Sign in</button>
    </form>
  );
};

/**
 * The sign-in page: a "Sign in with <issuer>" button when the console signs in with OIDC, else the token form.
 * `refusal` (the API's 401, or why the last sign-in failed) is shown above it.
 */
export const SignIn = ({ auth, refusal, onSignedIn }: Props<Auth>) =>
  auth.kind === 'oidc' ? (
    <OidcSignIn auth={auth} refusal={refusal} onSignedIn={onSignedIn} />
  ) : (
    <TokenSignIn auth={auth} refusal={refusal} onSignedIn={onSignedIn} />
  );
