import { ENV } from '#shared/config/env-keys';
import { consoleIssuerProblem } from '#shared/console/model/console-oidc';
import type { StageIssuer, StagePolicy } from './access-policy.js';
import { type StageConfig, StageConfigError } from './stage-config.js';

/** The console's OIDC sign-in as the stage deploys it: its function's setting and the issuer whose API serves it. */
export type StageConsoleOidc = { readonly environment: Record<string, string>; readonly issuer: StageIssuer };

/**
 * The stage's `console.oidc`, checked against its access policy at synthesis: the API must admit the console's ID
 * tokens, so the policy lists the issuer under `issuers` with the client id as `audience`. Undefined when the stage
 * has no console sign-in.
 * @throws StageConfigError naming `console.oidc.issuer` or `console.oidc.clientId`.
 */
export function stageConsoleOidc(config: StageConfig, policy: StagePolicy | undefined): StageConsoleOidc | undefined {
  const oidc = config.console.oidc;
  if (!oidc) return undefined;
  const issuers = policy?.issuers ?? [];
  const problem = consoleIssuerProblem(oidc, issuers);
  if (problem) {
    const hint = policy ? '' : ' (the stage has no access.policyFile)';
    throw new StageConfigError(`Invalid stage config: console.oidc.${problem.field}: ${problem.message}${hint}`);
  }
  const issuer = issuers.find((candidate) => candidate.issuer === oidc.issuer) as StageIssuer;
  return { environment: { [ENV.INSTACLONE_CONSOLE_OIDC]: JSON.stringify(oidc) }, issuer };
}
