import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretUnavailableError } from '../errors/app-error.js';

/** Resolves a secret's value; cached, so call it per request. */
export type SecretProvider = () => Promise<string>;

/** How long a value read from Secrets Manager is kept: a rotation is picked up within this, without a redeploy. */
export const SECRET_MAX_AGE_SECONDS = 5 * 60;

export type SecretSource = {
  /** What the secret is for, used in error messages (never the value). */
  name: string;
  /** The value itself (local runs: an explicit setting, never Secrets Manager). */
  value?: string | undefined;
  /** A Secrets Manager secret id or ARN (AWS); its SecretString is the value. */
  secretId?: string | undefined;
};

/** Powertools Parameters' Secrets Manager provider over this client: one cache for every secret of a function. */
export const makeSecretsProvider = (client: SecretsManagerClient): SecretsProvider =>
  new SecretsProvider({ awsSdkV3Client: client });

/**
 * A secret from an explicit value (local runs) or from Secrets Manager (AWS) through Powertools Parameters, which
 * keeps it for {@link SECRET_MAX_AGE_SECONDS} and keeps no failed read. Rejects with SecretUnavailableError when
 * neither source is configured, the secret is empty or not a string, or the read fails (only that one retryable).
 * The value is never logged or put in an error message.
 */
export const makeSecretProvider = (source: SecretSource, provider?: () => SecretsProvider): SecretProvider => {
  if (source.value) {
    const fixed = source.value;
    return async () => fixed;
  }
  return async () => {
    if (!source.secretId || !provider) throw new SecretUnavailableError(`${source.name} is not configured`, false);
    let value: unknown;
    try {
      value = await provider().get(source.secretId, { maxAge: SECRET_MAX_AGE_SECONDS });
    } catch (err) {
      throw new SecretUnavailableError(`${source.name}: cannot read the secret`, true, { cause: err });
    }
    if (typeof value !== 'string' || !value) {
      throw new SecretUnavailableError(`${source.name}: the secret is empty or not a string`, false);
    }
    return value;
  };
};
