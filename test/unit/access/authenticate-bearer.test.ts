import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, namedTokenFile, newTokenValue, writeTokenFile } from '#local/auth/named-token-file';
import { makeJoseOidcVerifier } from '#shared/access/adapters/jose-oidc-verifier';
import { AuthenticationError } from '#shared/access/model/access-errors';
import { makeAuthenticateBearer } from '#shared/access/use-cases/authenticate-bearer';
import { startTestOidcIssuer, type TestOidcIssuer } from '#test/support/oidc-issuer';

let dir: string;
let idp: TestOidcIssuer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'instaclone-tokens-'));
  idp = await startTestOidcIssuer();
});
afterAll(async () => {
  await idp.close();
  await rm(dir, { recursive: true, force: true });
});

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (err: unknown) => (err instanceof AuthenticationError ? err.reason : String(err)),
  );

describe('Use case: authenticateBearer', () => {
  it('answers a named token’s principal, the generated token’s, and picks up tokens added while running', async () => {
    // Prepare
    const path = join(dir, 'tokens.json');
    const alice = newTokenValue();
    const bob = newTokenValue();
    await writeTokenFile(path, {
      version: '1',
      tokens: [{ name: 'alice', sha256: hashToken(alice), createdAt: 'now' }],
    });
    const authenticate = makeAuthenticateBearer({ tokens: namedTokenFile(path, { default: 'generated-token-value' }) });
    // Act
    const first = await authenticate(`Bearer ${alice}`);
    const generated = await authenticate('Bearer generated-token-value');
    const bobBefore = await reasonOf(authenticate(`Bearer ${bob}`));
    await writeTokenFile(path, {
      version: '1',
      tokens: [
        { name: 'alice', sha256: hashToken(alice), createdAt: 'now' },
        { name: 'bob', sha256: hashToken(bob), createdAt: 'later' },
      ],
    });
    const bobAfter = await authenticate(`Bearer ${bob}`);
    // Assess
    expect(first).toEqual({ id: 'token:alice', kind: 'token', attributes: { name: 'alice' } });
    expect(generated.id).toBe('token:default');
    expect(bobBefore).toBe('unknown bearer token');
    expect(bobAfter.id).toBe('token:bob');
  });

  it('verifies a JWT as an OIDC token, and refuses one when no issuer is trusted', async () => {
    // Prepare
    const tokens = namedTokenFile(join(dir, 'none.json'));
    const token = await idp.sign({ aud: 'instaclone', sub: 'carol' });
    const withIssuer = makeAuthenticateBearer({
      tokens,
      oidc: makeJoseOidcVerifier({ issuers: [{ issuer: idp.issuer, audience: 'instaclone' }] }),
    });
    // Act
    const principal = await withIssuer(`Bearer ${token}`);
    const without = await reasonOf(makeAuthenticateBearer({ tokens })(`Bearer ${token}`));
    // Assess
    expect(principal.id).toBe(`oidc:${idp.issuer}#carol`);
    expect(without).toBe('OIDC tokens are not accepted: the policy trusts no issuer');
  });

  it.each([undefined, '', 'Basic abc', 'Bearer ', 'Bearer a b'])(
    'refuses the header %j as a missing token',
    async (header) => {
      const authenticate = makeAuthenticateBearer({ tokens: namedTokenFile(join(dir, 'none.json')) });
      expect(await reasonOf(authenticate(header))).toBe('missing bearer token');
    },
  );
});
