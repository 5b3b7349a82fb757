import { useState } from 'preact/hooks';
import type { ApiError } from './api.js';
import type { Auth } from './auth.js';
import { ApiErrorNote } from './components.js';

/**
 * Asks for the API token once per tab (kept in sessionStorage). `npm start` prints a console URL that carries it in
 * the fragment, which signs in without this form. An OIDC Auth would show a "Sign in with …" button here instead.
 */
export const SignIn = ({ auth, refusal, onSignedIn }: { auth: Auth; refusal?: ApiError; onSignedIn: () => void }) => {
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
