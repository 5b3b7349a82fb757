import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../errors/app-error.js';
import { type LoadedPolicy, parsePolicy } from '../model/parse-policy.js';

/**
 * Parses policy text, YAML or JSON (YAML is a superset; duplicate keys are refused, aliases bounded), and validates
 * it. Throws ConfigError naming `origin` and the line of a syntax error or the path of a bad field.
 */
export const policyFromText = (text: string, origin: string): LoadedPolicy => {
  let value: unknown;
  try {
    value = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(`${origin}: not YAML or JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parsePolicy(value, origin);
};

/** Reads and parses a policy file. Throws ConfigError when it cannot be read or does not parse. */
export const readPolicyFile = async (path: string): Promise<LoadedPolicy> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return policyFromText(text, path);
};
