import { describe, expect, it } from 'vitest';
import { policyFromText } from '#shared/access/adapters/policy-source';
import { parsePolicy } from '#shared/access/model/parse-policy';
import { GITHUB_ACTIONS_ISSUER, GITLAB_COM_ISSUER } from '#shared/access/model/policy-lint';
import { ConfigError } from '#shared/errors/app-error';

const withRule = (
  principals: unknown[],
  issuers: unknown[] = [{ issuer: GITHUB_ACTIONS_ISSUER, audience: 'instaclone' }],
) => ({
  version: '1',
  issuers,
  rules: [{ id: 'r', principals, actions: ['list'] }],
});
const github = (claims: Record<string, unknown>) => withRule([{ issuer: GITHUB_ACTIONS_ISSUER, claims }]);

const refusal = (value: unknown): string => {
  try {
    parsePolicy(value, 'policy.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the policy was accepted');
};

describe('Model: policy lint (refused at load)', () => {
  it('refuses a GitHub Actions rule that binds only the audience-level claims, not the repository or owner', () => {
    expect(refusal(github({ ref: 'refs/heads/main' }))).toBe(
      'policy.yaml: rules.0.principals.0.claims: GitHub Actions signs tokens for every tenant: bind repository or repository_owner',
    );
  });

  it.each([
    ['repository_owner', 'acme*'],
    ['repository', '*/app'],
    ['repository', 'acme*/app'],
    ['repository', 'acme'],
  ])('refuses a GitHub %s of %s, which does not pin the owner', (claim, value) => {
    expect(refusal(github({ [claim]: value }))).toContain(`rules.0.principals.0.claims.${claim}: must name its owner`);
  });

  it('accepts every repository of one owner, and a list of repositories', () => {
    expect(parsePolicy(github({ repository: ['acme/*', 'acme-labs/tools'] }), 'p').warnings).toEqual([]);
  });

  it('refuses a rule for an issuer that is not listed (so has no audience)', () => {
    expect(refusal(withRule([{ issuer: 'https://idp.example.com', claims: { sub: 'alice' } }]))).toBe(
      'policy.yaml: rules.0.principals.0.issuer: https://idp.example.com is not listed under "issuers": every issuer needs an explicit audience there',
    );
  });

  it('refuses an issuer without an audience, naming the field', () => {
    expect(refusal(withRule([{ id: 'token:a' }], [{ issuer: 'https://idp.example.com' }]))).toContain(
      'policy.yaml: issuers.0.audience:',
    );
  });

  it('refuses a GitLab.com rule that does not pin the project or namespace', () => {
    const policy = withRule(
      [{ issuer: GITLAB_COM_ISSUER, claims: { ref: 'main' } }],
      [{ issuer: GITLAB_COM_ISSUER, audience: 'instaclone' }],
    );
    expect(refusal(policy)).toContain('GitLab.com signs tokens for every tenant: bind project_path or namespace_path');
  });

  it.each([
    [{ id: '*' }, 'rules.0.principals.0.id: matches every principal'],
    [{ id: `oidc:${GITHUB_ACTIONS_ISSUER}#*` }, 'rules.0.principals.0.id: OIDC principals are bound with'],
    [{ arn: 'arn:aws:iam::*:role/admin' }, 'rules.0.principals.0.arn: must name the AWS account'],
  ])('refuses the principal pattern %j', (matcher, message) => {
    expect(refusal(withRule([matcher]))).toContain(message);
  });

  it('flags, but loads, a rule gating on job_workflow_ref without the caller’s ref or environment', () => {
    // Act
    const { warnings } = parsePolicy(
      github({ repository_owner: 'acme', job_workflow_ref: 'acme/deploy/.github/workflows/d.yml@refs/heads/main' }),
      'p',
    );
    // Assess
    expect(warnings).toEqual([
      { path: 'rules.0.principals.0.claims.job_workflow_ref', message: expect.stringContaining('any branch') },
    ]);
  });
});

describe('Model: policy parsing (a bad policy stops start-up with the path of the bad field)', () => {
  it.each([
    [{ version: '2', rules: [] }, 'policy.yaml: version:'],
    [
      { version: '1', rules: [{ id: 'r', principals: [{ id: 'token:a' }], actions: ['clone'] }] },
      'rules.0.resources.sources: is required with "clone"',
    ],
    [
      {
        version: '1',
        rules: [
          {
            id: 'r',
            principals: [{ id: 'token:a' }],
            actions: ['clone'],
            resources: { sources: ['*'] },
            limits: { liveClones: 5000 },
          },
        ],
      },
      'rules.0.limits.liveClones:',
    ],
    [{ version: '1', rules: [{ id: 'r', principals: [{ id: 'token:a' }], actions: ['fly'] }] }, 'rules.0.actions.0:'],
    [
      { version: '1', rules: [{ id: 'r', principals: [{ name: 'a' }], actions: ['list'] }] },
      'rules.0.principals.0: must be {"id": …}',
    ],
    [
      { version: '1', rules: [{ id: 'r', principals: [{ id: 'a' }], actions: ['list'], scop: 'all' }] },
      'rules.0: unknown field(s): scop',
    ],
    [
      {
        version: '1',
        rules: [
          { id: 'r', principals: [{ id: 'a' }], actions: ['list'] },
          { id: 'r', principals: [{ id: 'a' }], actions: ['read'] },
        ],
      },
      'rules.1.id: is used twice',
    ],
    [
      {
        version: '1',
        issuers: [{ issuer: 'http://idp.example.com', audience: 'x' }],
        rules: [{ id: 'r', principals: [{ id: 'a' }], actions: ['list'] }],
      },
      'issuers.0.issuer: must be https',
    ],
  ])('refuses %j', (value, message) => {
    expect(refusal(value)).toContain(message);
  });

  it('reads YAML with a numeric version, and refuses duplicate keys and syntax errors naming the origin', () => {
    // Act
    const loaded = policyFromText(
      'version: 1\nrules:\n  - id: r\n    principals: [{id: "token:a"}]\n    actions: [list]\n',
      'p.yaml',
    );
    const duplicate = () => policyFromText('version: 1\nversion: 1\nrules: []\n', 'dup.yaml');
    const broken = () => policyFromText('rules: [\n', 'broken.yaml');
    // Assess
    expect(loaded.policy.rules[0]?.id).toBe('r');
    expect(duplicate).toThrow(/^dup\.yaml: not YAML or JSON: .*unique/i);
    expect(broken).toThrow(/^broken\.yaml: not YAML or JSON/);
  });
});
