import { ConfigError } from '../../errors/app-error.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import { type Policy, PolicySchema } from './policy.js';
import { type LintFinding, lintPolicy } from './policy-lint.js';

/** A policy that parsed and passed the lint, with the lint's warnings (to print or log, never to ignore silently). */
export type LoadedPolicy = { policy: Policy; warnings: LintFinding[] };

const describe = (origin: string, findings: LintFinding[]) =>
  `${origin}: ${findings.map((f) => `${f.path}: ${f.message}`).join('; ')}`;

/**
 * Validates a policy document (already decoded from JSON or YAML) and lints it. Throws ConfigError naming `origin`
 * (a file path, an environment variable, an SSM parameter) and the dotted path of every bad field, e.g.
 * `policy.yaml: rules.1.limits.liveClones: Too big: expected number to be <=1000`; a service must not start on it.
 */
export const parsePolicy = (value: unknown, origin: string): LoadedPolicy => {
  const parsed = PolicySchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      describe(
        origin,
        toFieldIssues(parsed.error).map((i) => ({ path: i.field, message: i.message })),
      ),
    );
  }
  const report = lintPolicy(parsed.data);
  if (report.errors.length > 0) throw new ConfigError(describe(origin, report.errors));
  return { policy: parsed.data, warnings: report.warnings };
};
