import { globMatches } from './patterns.js';
import type { PrincipalMatcher } from './policy.js';
import type { Principal } from './principal.js';

const anyGlob = (patterns: string | readonly string[], value: string | undefined): boolean =>
  value !== undefined && (typeof patterns === 'string' ? [patterns] : patterns).some((p) => globMatches(p, value));

/**
 * Whether a rule's principal matcher admits `principal`: by id glob; by ARN glob (the caller's ARN or, for a role
 * session, its role's ARN; IAM principals only); or by OIDC issuer (exact) and every listed claim (OIDC principals
 * only; a claim the token lacks never matches).
 */
export const matchesPrincipal = (matcher: PrincipalMatcher, principal: Principal): boolean => {
  if ('id' in matcher) return globMatches(matcher.id, principal.id);
  if ('arn' in matcher) {
    if (principal.kind !== 'iam') return false;
    return anyGlob(matcher.arn, principal.attributes.arn) || anyGlob(matcher.arn, principal.attributes.roleArn);
  }
  if (principal.kind !== 'oidc' || principal.attributes.iss !== matcher.issuer) return false;
  return Object.entries(matcher.claims).every(([claim, patterns]) => anyGlob(patterns, principal.attributes[claim]));
};

/** Names (portgroups, warm pools) against a list of globs. */
export const anyNameMatches = (patterns: readonly string[], name: string): boolean => anyGlob(patterns, name);
