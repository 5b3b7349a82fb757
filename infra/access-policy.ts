import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { policyFromText } from '#shared/access/adapters/policy-source';
import type { LoadedPolicy } from '#shared/access/model/parse-policy';
import type { Issuer } from '#shared/access/model/policy';
import { LAMBDA_TASK_ROOT, REPO_ROOT } from './paths.js';
import { type StageConfig, StageConfigError } from './stage-config.js';

/**
 * The stage's policy inside the bundle of each function that decides, as JSON (deployed code carries no YAML parser),
 * read through INSTACLONE_POLICY_FILE.
 */
export const POLICY_BUNDLE_NAME = 'access-policy.json';
export const POLICY_BUNDLE_PATH = `${LAMBDA_TASK_ROOT}/${POLICY_BUNDLE_NAME}`;

/** The stage's policy as the functions get it: the JSON file to bundle (written at synthesis) and its issuers. */
export type StagePolicy = { readonly jsonFile: string; readonly issuers: readonly StageIssuer[] };

/** An issuer of the stage's policy and the short name its JWT authorizer, HTTP API and output carry. */
export type StageIssuer = Issuer & { readonly name: string };

/** The issuer's `name`, else its host (and path) in lower case with every other character a dash, cut to 32. */
export const issuerNameOf = (issuer: Issuer): string => {
  if (issuer.name !== undefined) return issuer.name;
  const { host, pathname } = new URL(issuer.issuer);
  return `${host}${pathname}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 32)
    .replace(/^-+|-+$/g, '');
};

/**
 * The stage's access policy (`access.policyFile`), parsed and linted at synthesis so a bad policy never deploys, and
 * its issuers as API Gateway can serve them: https only (a loopback issuer is for `npm start`), and no `jwksUri`
 * (the JWT authorizer discovers keys from the issuer itself). Undefined when the stage has no policy (every caller
 * that passes the gateway's IAM auth may do everything, as `npm start` without a policy).
 * @throws StageConfigError naming the file and the bad field.
 */
export function loadStagePolicy(config: StageConfig): StagePolicy | undefined {
  const file = config.access.policyFile;
  if (file === undefined) return undefined;
  const origin = `access.policyFile (${file})`;
  let loaded: LoadedPolicy;
  try {
    loaded = policyFromText(readFileSync(resolve(REPO_ROOT, file), 'utf8'), origin);
  } catch (error) {
    throw new StageConfigError(`Invalid stage config: ${error instanceof Error ? error.message : String(error)}`);
  }
  const issuers = loaded.policy.issuers.map((issuer, index) => {
    const where = `${origin}: issuers.${index}`;
    if (new URL(issuer.issuer).protocol !== 'https:') {
      throw new StageConfigError(`Invalid stage config: ${where}.issuer: API Gateway accepts https issuers only`);
    }
    if (issuer.jwksUri !== undefined) {
      throw new StageConfigError(
        `Invalid stage config: ${where}.jwksUri: API Gateway discovers the keys from the issuer; remove it`,
      );
    }
    return { ...issuer, name: issuerNameOf(issuer) };
  });
  const names = issuers.map((issuer) => issuer.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new StageConfigError(`Invalid stage config: ${origin}: two issuers are named "${twice}"; set name`);
  const jsonFile = join(mkdtempSync(join(tmpdir(), 'instaclone-policy-')), POLICY_BUNDLE_NAME);
  writeFileSync(jsonFile, JSON.stringify(loaded.policy));
  return { jsonFile, issuers };
}
