import { type Policy, PolicySchema } from '#shared/access/model/policy';
import { GITHUB_ACTIONS_ISSUER, githubActionsClaims, startTestOidcIssuer } from '../oidc-issuer.js';

const VM0 = '/DC0/vm/DC0_H0_VM0';

/** Named bearer tokens of the fuzz stack (`token:<name>`), one per kind of grant. */
export const FUZZ_TOKENS = {
  admin: 'fuzz-admin-token-0123456789',
  team: 'fuzz-team-token-0123456789',
  reader: 'fuzz-reader-token-0123456789',
  stranger: 'fuzz-stranger-token-0123456789',
};

/** The GitHub installation and organisation whose runner jobs the fuzz stack serves. */
export const FUZZ_GITHUB = { installation: 1, organization: 'org' };

/**
 * A policy with every kind of answer in it: an admin, a team bound to one source and one warm pool with a live-clone
 * quota and a lease limit (403 naming a field, 429), CI by OIDC claims with a concurrent-job quota, the signed hooks
 * allowed one source, a read-only auditor, and a token no rule names (403 for everything).
 */
export const fuzzPolicy = (jwksUri: string): Policy =>
  PolicySchema.parse({
    version: '1',
    issuers: [{ issuer: GITHUB_ACTIONS_ISSUER, audience: 'instaclone', jwksUri }],
    rules: [
      { id: 'fuzz-admins', principals: [{ id: 'token:admin' }], actions: ['admin'] },
      {
        id: 'fuzz-team',
        principals: [{ id: 'token:team' }, { id: 'slack:T0001/*' }],
        actions: ['clone', 'claim', 'read', 'list', 'destroy'],
        resources: { sources: [VM0], warmPools: ['fz-a'] },
        scope: 'group',
        limits: { liveClones: 5, ttlMinutes: 60 },
      },
      {
        id: 'fuzz-ci',
        principals: [{ issuer: GITHUB_ACTIONS_ISSUER, claims: { repository: 'acme/app', ref: 'refs/heads/main' } }],
        actions: ['clone', 'read', 'list', 'destroy', 'manage-pools'],
        resources: { sources: [VM0], folders: ['/DC0/vm/'], warmPools: ['fz-b'] },
        limits: { concurrentJobs: 3 },
      },
      {
        id: 'fuzz-hooks',
        principals: [{ id: 'hook:generic' }, { id: `github:${FUZZ_GITHUB.installation}` }],
        actions: ['clone'],
        resources: { sources: [VM0] },
      },
      { id: 'fuzz-auditors', principals: [{ id: 'token:reader' }], actions: ['read', 'list'], scope: 'all' },
    ],
  });

/** Who a generated request claims to be. */
export const CALLERS = [
  'admin',
  'team',
  'reader',
  'stranger',
  'default',
  'ci',
  'ci-other-branch',
  'oidc-expired',
  'oidc-forged',
  'oidc-unsigned',
  'oidc-wrong-audience',
  'not-a-jwt',
] as const;
export type Caller = (typeof CALLERS)[number];

/** An OIDC issuer standing in for GitHub Actions, and a bearer credential for every {@link Caller}. */
export const startFuzzIdentities = async (apiToken: string) => {
  const idp = await startTestOidcIssuer();
  // Long-lived: a long run outlasts the 5-minute default.
  const sign = (claims: Record<string, unknown>, options: Parameters<typeof idp.sign>[1] = {}) =>
    idp.sign({ ...claims, aud: 'instaclone' }, { expiresInSeconds: 6 * 3600, ...options });
  const ci = githubActionsClaims('acme/app');
  const bearer: Record<Caller, string> = {
    ...FUZZ_TOKENS,
    default: apiToken,
    ci: await sign(ci),
    'ci-other-branch': await sign(githubActionsClaims('acme/app', { ref: 'refs/heads/evil' })),
    'oidc-expired': await sign(ci, { expiresInSeconds: -60 }),
    'oidc-forged': await sign(ci, { key: 'stranger' }),
    'oidc-unsigned': idp.unsigned({ ...ci, aud: 'instaclone' }),
    'oidc-wrong-audience': await idp.sign({ ...ci, aud: 'someone-else' }, { expiresInSeconds: 6 * 3600 }),
    'not-a-jwt': 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  };
  return { policy: fuzzPolicy(idp.jwksUri), bearer, close: () => idp.close() };
};
