import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJoseOidcVerifier } from '#shared/access/adapters/jose-oidc-verifier';
import { AuthenticationError, IssuerUnavailableError } from '#shared/access/model/access-errors';
import type { OidcVerifier } from '#shared/access/ports/credential-verifiers';
import {
  GITHUB_ACTIONS_ISSUER,
  githubActionsClaims,
  startTestOidcIssuer,
  type TestOidcIssuer,
} from '#test/support/oidc-issuer';

let idp: TestOidcIssuer;
let verifier: OidcVerifier;
const AUDIENCE = 'instaclone';

beforeAll(async () => {
  idp = await startTestOidcIssuer();
  verifier = makeJoseOidcVerifier({
    issuers: [
      { issuer: idp.issuer, audience: AUDIENCE },
      { issuer: GITHUB_ACTIONS_ISSUER, audience: AUDIENCE, jwksUri: idp.jwksUri },
    ],
  });
});
afterAll(() => idp.close());

const rejection = async (token: string) => {
  const error = await verifier.verify(token).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).reason;
};

describe('Adapter: jose OIDC verifier', () => {
  it('answers the principal of a valid token, discovering the keys from the issuer once', async () => {
    // Act
    const principal = await verifier.verify(await idp.sign({ aud: AUDIENCE, sub: 'alice', email: 'a@example.com' }));
    await verifier.verify(await idp.sign({ aud: AUDIENCE, sub: 'bob' }));
    // Assess
    expect(principal).toMatchObject({
      id: `oidc:${idp.issuer}#alice`,
      kind: 'oidc',
      attributes: { iss: idp.issuer, sub: 'alice', aud: AUDIENCE, email: 'a@example.com' },
    });
    expect(idp.requests.filter((p) => p === '/.well-known/openid-configuration')).toHaveLength(1);
  });

  it("keeps a GitHub Actions token's repository claims for the policy to bind", async () => {
    // Act
    const principal = await verifier.verify(await idp.sign({ ...githubActionsClaims('acme/app'), aud: AUDIENCE }));
    // Assess
    expect(principal.id).toBe(`oidc:${GITHUB_ACTIONS_ISSUER}#repo:acme/app:ref:refs/heads/main`);
    expect(principal.attributes).toMatchObject({
      repository: 'acme/app',
      repository_owner: 'acme',
      ref: 'refs/heads/main',
    });
  });

  it('refuses an expired token', async () => {
    expect(await rejection(await idp.sign({ aud: AUDIENCE }, { expiresInSeconds: -120 }))).toBe('token expired');
  });

  it('refuses a token minted for another audience', async () => {
    expect(await rejection(await idp.sign({ aud: 'https://github.com/acme' }))).toBe(
      'token audience is not instaclone',
    );
  });

  it('refuses a token from an issuer that is not trusted', async () => {
    expect(await rejection(await idp.sign({ aud: AUDIENCE, iss: 'https://evil.example.com' }))).toBe(
      'token issuer is not trusted',
    );
  });

  it('refuses an unsigned token (alg: none)', async () => {
    expect(await rejection(idp.unsigned({ aud: AUDIENCE }))).toMatch(/algorithm is not allowed|not a signed JWT/);
  });

  it("refuses a token signed with a key that is not the issuer's", async () => {
    expect(await rejection(await idp.sign({ aud: AUDIENCE }, { key: 'stranger' }))).toBe(
      'token signature does not verify',
    );
  });

  it('refuses a token signed with HMAC, even over a key id the issuer publishes', async () => {
    // Prepare: the algorithm-confusion attack signs with a shared secret instead of the issuer's private key.
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iss: idp.issuer, aud: AUDIENCE, sub: 'x', iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a'.repeat(32)));
    // Act + Assess
    expect(await rejection(token)).toBe('token algorithm is not allowed (unsigned or symmetric)');
  });

  it.each(['sub', 'exp', 'iat'])('refuses a token without its %s claim', async (claim) => {
    expect(await rejection(await idp.sign({ aud: AUDIENCE }, { omit: [claim] }))).toBe(
      `token claim "${claim}" is missing or fails its check`,
    );
  });

  it('refuses what is not a JWT at all', async () => {
    expect(await rejection('not-a-token')).toBe('token is not a valid JWT');
  });

  it('answers IssuerUnavailableError (not a 401) when the issuer cannot be reached', async () => {
    // Prepare
    const gone = makeJoseOidcVerifier({
      issuers: [{ issuer: 'http://127.0.0.1:9', audience: AUDIENCE }],
      timeoutMs: 500,
    });
    const token = await idp.sign({ aud: AUDIENCE, iss: 'http://127.0.0.1:9' });
    // Act
    const error = await gone.verify(token).catch((err: unknown) => err);
    // Assess
    expect(error).toBeInstanceOf(IssuerUnavailableError);
  });
});
