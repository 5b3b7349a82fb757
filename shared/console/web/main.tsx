import { render } from 'preact';
import { App } from './app.js';
import { adoptFragmentToken, tokenAuth } from './auth.js';
import './console.css';

const auth = tokenAuth(window.sessionStorage);
adoptFragmentToken(auth, window.location, window.history);
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App auth={auth} />, root);
}
