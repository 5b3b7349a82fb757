import type { Policy, PrincipalMatcher } from './policy.js';

/** One finding, with the dotted path of the field it is about (`rules.2.principals.0.claims`). */
export type LintFinding = { path: string; message: string };
/** `errors` stop the policy from loading; `warnings` are printed at start-up and logged. */
export type LintReport = { errors: LintFinding[]; warnings: LintFinding[] };

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_COM_ISSUER = 'https://gitlab.com';

/**
 * Issuers that sign tokens for every tenant with one key: a rule must pin the tenant, or any repository (project)
 * anywhere could mint a token that passes. The claim lists name what pins it; the first claim of each pair is a path
 * whose first segment is the owner, the second an owner-level claim.
 */
const SHARED_ISSUERS = [
  {
    name: 'GitHub Actions',
    matches: (issuer: string) => issuer === GITHUB_ACTIONS_ISSUER || issuer.startsWith(`${GITHUB_ACTIONS_ISSUER}/`),
    pinning: ['repository', 'repository_owner', 'repository_id', 'repository_owner_id'],
    paths: ['repository'],
  },
  {
    name: 'GitLab.com',
    matches: (issuer: string) => issuer === GITLAB_COM_ISSUER,
    pinning: ['project_path', 'namespace_path', 'project_id', 'namespace_id'],
    paths: ['project_path'],
  },
] as const;

const valuesOf = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** The owner part (`acme` of `acme/app`, or the whole value) must be literal: `acme*` would admit `acme-evil`. */
const pinsOwner = (claim: string, value: string, paths: readonly string[]): boolean => {
  const owner = paths.includes(claim) ? (value.split('/')[0] ?? '') : value;
  return owner.length > 0 && !owner.includes('*') && (!paths.includes(claim) || value.includes('/'));
};

const lintOidcMatcher = (
  matcher: Extract<PrincipalMatcher, { issuer: string }>,
  path: string,
  declared: Set<string>,
  report: LintReport,
): void => {
  if (!declared.has(matcher.issuer)) {
    report.errors.push({
      path: `${path}.issuer`,
      message: `${matcher.issuer} is not listed under "issuers": every issuer needs an explicit audience there`,
    });
  }
  const shared = SHARED_ISSUERS.find((s) => s.matches(matcher.issuer));
  if (!shared) return;
  const pins = shared.pinning.filter((claim) => matcher.claims[claim] !== undefined);
  if (pins.length === 0) {
    report.errors.push({
      path: `${path}.claims`,
      message: `${shared.name} signs tokens for every tenant: bind ${shared.pinning.slice(0, 2).join(' or ')}`,
    });
  }
  for (const claim of pins) {
    const value = matcher.claims[claim] ?? [];
    if (!valuesOf(value).every((v) => pinsOwner(claim, v, shared.paths))) {
      report.errors.push({
        path: `${path}.claims.${claim}`,
        message: 'must name its owner literally (no "*" in the owner, e.g. "acme/*" but not "acme*" or "*/app")',
      });
    }
  }
  const gatesOnWorkflow = matcher.claims['job_workflow_ref'] !== undefined;
  const gatesOnCaller = ['ref', 'environment', 'sub', 'workflow_ref'].some((c) => matcher.claims[c] !== undefined);
  if (shared.name === 'GitHub Actions' && gatesOnWorkflow && !gatesOnCaller) {
    report.warnings.push({
      path: `${path}.claims.job_workflow_ref`,
      message:
        'gates on job_workflow_ref alone: any branch of any matching repository that calls this reusable workflow ' +
        'passes; bind ref or environment too if only some callers should',
    });
  }
};

const lintIdMatcher = (pattern: string, path: string, report: LintReport): void => {
  if (pattern.startsWith('*')) {
    report.errors.push({ path, message: 'matches every principal: name them (e.g. "token:alice", "github:*")' });
  } else if (pattern.startsWith('oidc:')) {
    report.errors.push({ path, message: 'OIDC principals are bound with {"issuer", "claims"}, never by id' });
  }
};

const lintArnMatcher = (pattern: string, path: string, report: LintReport): void => {
  const account = pattern.split(':')[4] ?? '';
  if (!/^\d{12}$/.test(account)) {
    report.errors.push({ path, message: 'must name the AWS account (12 digits, no "*"): any account could match' });
  }
};

/**
 * Refuses the known OIDC and pattern traps a schema cannot see: an issuer without an audience (not listed under
 * `issuers`), a GitHub Actions or GitLab.com rule that does not pin the repository or its owner (those issuers sign
 * for everyone, so an audience alone lets any repository in), ids matching every principal, ARN patterns open to any
 * account. Flags (warns about) GitHub rules gating on `job_workflow_ref` without the caller's ref or environment.
 */
export const lintPolicy = (policy: Policy): LintReport => {
  const report: LintReport = { errors: [], warnings: [] };
  const declared = new Set(policy.issuers.map((i) => i.issuer));
  policy.rules.forEach((rule, r) => {
    rule.principals.forEach((matcher, m) => {
      const path = `rules.${r}.principals.${m}`;
      if ('issuer' in matcher) lintOidcMatcher(matcher, path, declared, report);
      else if ('arn' in matcher) lintArnMatcher(matcher.arn, `${path}.arn`, report);
      else lintIdMatcher(matcher.id, `${path}.id`, report);
    });
  });
  return report;
};
