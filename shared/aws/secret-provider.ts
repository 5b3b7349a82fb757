import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretUnavailableError } from '../errors/app-error.js';

/** Resolves a secret's value; cached, so call it per request. */
export type SecretProvider = () => Promise<string>;

export type SecretSource = {
  /** What the secret is for, used in error messages (never the value). */
  name: string;
  /** The value itself (local runs: from env). */
  value?: string | undefined;
  /** A Secrets Manager secret id or ARN (AWS); its SecretString is the value, or `field` of its JSON. */
  secretId?: string | undefined;
  /** Pick this field when the secret is a JSON object. */
  field?: string;
};

/**
 * A secret from env (local) or Secrets Manager (AWS), fetched once and kept for `ttlMs` so a rotation is picked
 * up without a redeploy. A failed read is not cached. Rejects with SecretUnavailableError when neither source is
 * configured, the value is empty, or the read fails (only that one retryable). The value is never logged or put in
 * an error message.
 */
export const makeSecretProvider = (
  source: SecretSource,
  deps: { secrets?: () => SecretsManagerClient; now?: () => number; ttlMs?: number } = {},
): SecretProvider => {
  if (source.value) {
    const fixed = source.value;
    return async () => fixed;
  }
  const now = deps.now ?? Date.now;
  const ttlMs = deps.ttlMs ?? 5 * 60_000;
  let cached: { at: number; value: Promise<string> } | undefined;
  const read = async (): Promise<string> => {
    if (!source.secretId || !deps.secrets) {
      throw new SecretUnavailableError(`${source.name} is not configured`, false);
    }
    let text: string | undefined;
    try {
      text = (await deps.secrets().send(new GetSecretValueCommand({ SecretId: source.secretId }))).SecretString;
    } catch (err) {
      throw new SecretUnavailableError(`${source.name}: cannot read the secret`, true, { cause: err });
    }
    const value = source.field ? fieldOf(text, source.field) : text;
    if (!value) throw new SecretUnavailableError(`${source.name}: the secret is empty`, false);
    return value;
  };
  return () => {
    if (!cached || now() - cached.at > ttlMs) {
      const value = read();
      cached = { at: now(), value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
};

/** JSON.parse quotes its input in errors; a secret must never reach a log that way. */
const fieldOf = (text: string | undefined, field: string): string | undefined => {
  try {
    const value: unknown = JSON.parse(text ?? '');
    const picked = value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
    return typeof picked === 'string' ? picked : undefined;
  } catch {
    return undefined;
  }
};
