import { render } from 'preact';
import type { ApiError } from './api.js';
import { readSettings } from './api.js';
import { App } from './app.js';
import { type Auth, adoptFragmentToken, tokenAuth } from './auth.js';
import { oidcAuth } from './oidc-auth.js';
import './console.css';

/** The issuer sent the browser back here with a code (or an error): this load finishes a sign-in. */
const isSignInAnswer = (url: URL) => ['code', 'error', 'state'].some((name) => url.searchParams.has(name));

/** Picks the way to sign in from the page's settings and finishes a sign-in the issuer sent back, if any. */
const start = async (): Promise<{ auth: Auth; refusal?: ApiError }> => {
  const settings = await readSettings();
  if (!settings.oidc) {
    const auth = tokenAuth(window.sessionStorage);
    adoptFragmentToken(auth, window.location, window.history);
    return { auth };
  }
  const auth = oidcAuth(settings.oidc, window.sessionStorage, window.location);
  const answer = new URL(window.location.href);
  if (!isSignInAnswer(answer)) return { auth };
  const refusal = await auth.completeSignIn(answer);
  // The code and state are spent: out of the address bar and the history.
  window.history.replaceState(null, '', `${window.location.pathname}#/jobs`);
  return { auth, ...(refusal && { refusal }) };
};

const root = document.getElementById('app');
if (root) {
  start().then(
    ({ auth, refusal }) => {
      root.textContent = '';
      render(<App auth={auth} refusal={refusal} />, root);
    },
    (err: unknown) => {
      root.textContent = `The console could not read its settings (${String(err)}). Reload the page.`;
    },
  );
}
