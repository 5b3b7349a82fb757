import type { LocalStack } from '#local/stack';
import { policyFromText } from '#shared/access/adapters/policy-source';
import { GITLAB_COM_ISSUER } from '#shared/access/model/policy-lint';
import { GITHUB_ACTIONS_ISSUER, startTestOidcIssuer, type TestOidcIssuer } from './oidc-issuer.js';
import { startTestStack } from './test-stack.js';

/** The audience CI tokens are minted for (the action's and the GitLab component's `audience` input). */
export const CI_AUDIENCE = 'instaclone';
/** The one repository (GitHub) and project (GitLab) the CI policy lets clone. */
export const ALLOWED_REPOSITORY = 'acme/app';
export const CI_SOURCE = '/DC0/vm/DC0_H0_VM0';

/**
 * A policy as a platform team would write it for CI: GitHub Actions and GitLab.com tokens (their keys served by the
 * loopback issuer `idp`) of `acme/app` only may clone one golden VM for at most an hour, and read and destroy their
 * own clones. Everyone else is denied by default.
 */
export const ciPolicyYaml = (idp: TestOidcIssuer): string => `version: 1
issuers:
  - issuer: ${GITHUB_ACTIONS_ISSUER}
    audience: ${CI_AUDIENCE}
    jwksUri: ${idp.jwksUri}
  - issuer: ${GITLAB_COM_ISSUER}
    audience: ${CI_AUDIENCE}
    jwksUri: ${idp.jwksUri}
rules:
  - id: ci-acme-app
    description: acme/app's pipelines clone the golden VM for at most an hour
    principals:
      - issuer: ${GITHUB_ACTIONS_ISSUER}
        claims: { repository: ${ALLOWED_REPOSITORY} }
      - issuer: ${GITLAB_COM_ISSUER}
        claims: { project_path: ${ALLOWED_REPOSITORY} }
    actions: [clone, read, destroy]
    resources: { sources: [${CI_SOURCE}] }
    limits: { ttlMinutes: 60, liveClones: 10 }
`;

/** Claims shaped like a GitLab CI job's `id_tokens` token for `project` (`group/name`). */
export const gitlabClaims = (project: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: GITLAB_COM_ISSUER,
  sub: `project_path:${project}:ref_type:branch:ref:main`,
  namespace_path: project.split('/')[0],
  project_path: project,
  ref: 'main',
  ref_type: 'branch',
  pipeline_source: 'push',
  ...overrides,
});

export type CiStack = { stack: LocalStack; idp: TestOidcIssuer; policyYaml: string; close(): Promise<void> };

/**
 * The local stack (in this process) under {@link ciPolicyYaml}, with the loopback issuer. Guests report their new IP
 * `guestIpDelayMs` after the clone (default 2 s, the simulator's), so a pipeline can be cancelled while it waits.
 */
export const startCiStack = async (options: { guestIpDelayMs?: number } = {}): Promise<CiStack> => {
  const idp = await startTestOidcIssuer();
  const policyYaml = ciPolicyYaml(idp);
  const stack = await startTestStack({
    policy: policyFromText(policyYaml, 'ci-policy.yaml').policy,
    ...(options.guestIpDelayMs !== undefined && { simulator: { guestIpDelayMs: options.guestIpDelayMs } }),
  });
  return {
    stack,
    idp,
    policyYaml,
    close: async () => {
      await stack.close();
      await idp.close();
    },
  };
};
