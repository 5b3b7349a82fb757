import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOidcIssuer, TEST_USER, type TestOidcIssuer } from '#test/support/oidc-issuer';

// The browser test trusts this stand-in to refuse what a real issuer refuses: these prove it does.
const REDIRECT = 'http://127.0.0.1:1/';
const VERIFIER = 'a-verifier-of-at-least-forty-three-characters-long';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

let idp: TestOidcIssuer;
beforeAll(async () => {
  idp = await startTestOidcIssuer({ login: { clientId: 'console', redirectUris: [REDIRECT] } });
});
afterAll(() => idp.close());

/** Logs in at `/authorize` and answers the code it redirects back with. */
const authorize = async (params: Record<string, string> = {}): Promise<Response> => {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'console',
    redirect_uri: REDIRECT,
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    state: 'st',
    nonce: 'n0',
    ...params,
  });
  return fetch(`${idp.issuer}/authorize?${query}`, { redirect: 'manual' });
};
const codeOf = async () => new URL((await authorize()).headers.get('location') ?? '').searchParams.get('code') ?? '';
const token = (form: Record<string, string>) =>
  fetch(`${idp.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', ...form }),
  });

describe('Stand-in OIDC issuer: authorization code with PKCE', () => {
  it('redirects back with a code and the state, and trades the code once for an ID token of the person', async () => {
    // Prepare
    const back = new URL((await authorize()).headers.get('location') ?? '');
    const form = { code: back.searchParams.get('code') ?? '', client_id: 'console', redirect_uri: REDIRECT };
    // Act
    const first = await token({ ...form, code_verifier: VERIFIER });
    const again = await token({ ...form, code_verifier: VERIFIER });
    // Assess
    expect(back.searchParams.get('state')).toBe('st');
    const claims = decodeJwt(((await first.json()) as { id_token: string }).id_token);
    expect(claims).toMatchObject({ ...TEST_USER, iss: idp.issuer, aud: 'console', nonce: 'n0' });
    expect(again.status).toBe(400);
  });

  it.each([
    [
      { code_verifier: 'another-verifier-of-at-least-forty-three-characters' },
      'code_verifier does not match the code_challenge',
    ],
    [{ redirect_uri: 'http://127.0.0.1:2/' }, 'redirect_uri does not match'],
    [{ client_id: 'someone-else' }, 'client_id does not match'],
  ])('refuses a code traded with %j', async (change, description) => {
    // Prepare
    const form = { code: await codeOf(), client_id: 'console', redirect_uri: REDIRECT, code_verifier: VERIFIER };
    // Act
    const res = await token({ ...form, ...change });
    // Assess
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_description: description });
  });

  it.each([
    [{ redirect_uri: 'https://evil.example/' }, 'unregistered redirect_uri'],
    [{ code_challenge_method: 'plain' }, 'an S256 code_challenge is required'],
  ])('refuses to log in for %j, without a redirect', async (change, description) => {
    // Act
    const res = await authorize(change);
    // Assess
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_description: description });
  });
});
