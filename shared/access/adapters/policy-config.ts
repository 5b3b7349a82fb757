import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors/app-error.js';
import type { AccessConfig } from '../config.js';
import { type LoadedPolicy, parsePolicy } from '../model/parse-policy.js';

const parseJson = (text: string, origin: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`${origin}: not JSON`);
  }
};

/**
 * The policy a function's configuration names (JSON only: deployed code does not carry a YAML parser), read and
 * validated at cold start; undefined when none is configured. Throws ConfigError naming the origin and the dotted path
 * of every bad field (the function must not start on a policy it cannot read).
 */
export const policyFromConfig = (config: Partial<AccessConfig>): LoadedPolicy | undefined => {
  if (config.INSTACLONE_POLICY !== undefined && config.INSTACLONE_POLICY_FILE !== undefined) {
    throw new ConfigError('Invalid configuration: give INSTACLONE_POLICY or INSTACLONE_POLICY_FILE, not both');
  }
  if (config.INSTACLONE_POLICY !== undefined) {
    return parsePolicy(parseJson(config.INSTACLONE_POLICY, 'INSTACLONE_POLICY'), 'INSTACLONE_POLICY');
  }
  const file = config.INSTACLONE_POLICY_FILE;
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parsePolicy(parseJson(text, file), file);
};
