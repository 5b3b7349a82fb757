import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { makeLoginEndpoints, type TestLogin } from './oidc-login.js';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export type SignOptions = {
  /** `stranger`: a key the issuer does not publish (a forged token). Default: the issuer's own key. */
  key?: 'issuer' | 'stranger';
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresInSeconds?: number;
  /** Claims to leave out of the defaults (`sub`, `iat`, `exp`, …), e.g. to test a missing claim. */
  omit?: string[];
};

export type TestOidcIssuer = {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens unless a test sets another. */
  issuer: string;
  /** Where its public keys are served (give it as `jwksUri` to impersonate another issuer's URL). */
  jwksUri: string;
  /**
   * Signs `claims` over defaults `iss` (this issuer), `sub`, `iat` and `exp` (5 minutes). `claims.aud` is the
   * audience; `claims.iss` may name another issuer (e.g. GitHub's) to test its rules with this key.
   */
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** An unsigned token (`alg: none`) with the same defaults. */
  unsigned(claims: Record<string, unknown>): string;
  /**
   * GitHub Actions' token request endpoint stand-in: give `url` as `ACTIONS_ID_TOKEN_REQUEST_URL` and `token` as
   * `ACTIONS_ID_TOKEN_REQUEST_TOKEN`; `GET url&audience=<aud>` with `Authorization: Bearer <token>` answers
   * `{"value": <a token of actionsClaims for that audience>}`, as GitHub's does.
   */
  actions: { url: string; token: string };
  /** Claims of the tokens the Actions endpoint mints (mutable: tests switch repositories). */
  actionsClaims: Record<string, unknown>;
  /**
   * The authorization code flow (`/authorize`, `/token`, in discovery): the one public client it knows and the
   * person it logs in at once. Mutable: tests register the console's redirect URI and switch people.
   */
  login: TestLogin;
  /** Requests served, by path (discovery, JWKS, Actions tokens, authorize, token). */
  requests: string[];
  close(): Promise<void>;
};

/** Claims shaped like a GitHub Actions OIDC token's for `repository` (`owner/name`) at `ref`. */
export const githubActionsClaims = (
  repository: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => {
  const [owner = ''] = repository.split('/');
  const ref = (overrides.ref as string | undefined) ?? 'refs/heads/main';
  return {
    iss: GITHUB_ACTIONS_ISSUER,
    sub: `repo:${repository}:ref:${ref}`,
    repository,
    repository_owner: owner,
    repository_id: '123456',
    repository_owner_id: '654321',
    repository_visibility: 'private',
    ref,
    ref_type: 'branch',
    sha: 'a'.repeat(40),
    workflow: 'ci',
    workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
    job_workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
    event_name: 'push',
    actor: 'octocat',
    run_id: '1',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    ...overrides,
  };
};

const defaults = (issuer: string, claims: Record<string, unknown>, options: SignOptions) => {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = {
    iss: issuer,
    sub: 'test-subject',
    iat: now,
    exp: now + (options.expiresInSeconds ?? 300),
    ...claims,
  };
  for (const name of options.omit ?? []) delete all[name];
  return all;
};

/** Who `/authorize` logs in unless a test says otherwise. */
export const TEST_USER = { sub: 'alice', email: 'alice@example.test', name: 'Alice' } as const;

/**
 * A loopback OIDC issuer for tests: makes an RS256 key pair at start, serves its discovery document and JWKS on
 * 127.0.0.1, signs tokens with it, runs the authorization code flow with PKCE for one public client (`login`), and
 * stands in for GitHub Actions' ID-token request endpoint.
 */
export async function startTestOidcIssuer(
  options: { actionsClaims?: Record<string, unknown>; login?: Partial<TestLogin> } = {},
): Promise<TestOidcIssuer> {
  const kid = randomBytes(6).toString('hex');
  const own = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(own.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const actionsToken = randomBytes(16).toString('hex');
  const requests: string[] = [];
  let issuer = '';

  const signWith = (key: SigningKey, all: Record<string, unknown>) =>
    new SignJWT(all).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  const login: TestLogin = {
    clientId: 'instaclone-console',
    redirectUris: [],
    user: { ...TEST_USER },
    idTokenSeconds: 300,
    ...options.login,
  };
  const endpoints = makeLoginEndpoints(login, (claims, expiresInSeconds) =>
    signWith(own.privateKey, defaults(issuer, claims, { expiresInSeconds })),
  );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', ...endpoints.cors });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') return send(200, discovery(issuer));
    if (url.pathname === '/jwks') return send(200, { keys: [publicJwk] });
    if (url.pathname === '/authorize') return endpoints.authorize(url, res);
    if (url.pathname === '/token') return endpoints.token(req, res);
    if (url.pathname === '/actions/token') {
      if (req.headers.authorization !== `Bearer ${actionsToken}`) return send(401, { message: 'Bad credentials' });
      const aud =
        url.searchParams.get('audience') ?? `https://github.com/${String(self.actionsClaims.repository_owner)}`;
      const value = await signWith(own.privateKey, defaults(issuer, { ...self.actionsClaims, aud }, {}));
      return send(200, { count: 1, value });
    }
    send(404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send500(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const self: TestOidcIssuer = {
    issuer,
    jwksUri: `${issuer}/jwks`,
    sign: (claims, signOptions = {}) =>
      signWith(
        signOptions.key === 'stranger' ? stranger.privateKey : own.privateKey,
        defaults(issuer, claims, signOptions),
      ),
    unsigned: (claims) => {
      const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(defaults(issuer, claims, {}))}.`;
    },
    actions: { url: `${issuer}/actions/token?api-version=2.0`, token: actionsToken },
    actionsClaims: options.actionsClaims ?? githubActionsClaims('acme/app'),
    login,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return self;
}

/** The discovery document: keys, and the authorization code flow with PKCE for public clients. */
const discovery = (issuer: string) => ({
  issuer,
  jwks_uri: `${issuer}/jwks`,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code'],
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['none'],
  subject_types_supported: ['public'],
  scopes_supported: ['openid', 'email', 'profile'],
  id_token_signing_alg_values_supported: ['RS256'],
});

const send500 = (res: ServerResponse) => {
  if (!res.headersSent) res.writeHead(500);
  res.end();
};
