import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { makeSecretsManagerClient } from '../aws/aws-clients.js';
import { makeSecretProvider, makeSecretsProvider, type SecretProvider } from '../aws/secret-provider.js';
import { family } from './family.js';
import { required } from './lazily.js';

/**
 * Secrets: each an explicit value (local runs) or a Secrets Manager secret (AWS) read through Powertools Parameters
 * on first use and kept five minutes, so a rotation is picked up without a redeploy. `secret` is undefined when
 * neither is configured. With values only, no Secrets Manager client is ever built.
 */
export type SecretDeps = {
  /** Powertools Parameters' provider (and its cache) over this function's Secrets Manager client. */
  readonly secretsProvider: SecretsProvider;
  readonly secret: (
    name: string,
    value: string | undefined,
    secretId: string | undefined,
  ) => SecretProvider | undefined;
  /** One provider per configured hook secret; a provider left out is a route answered 404. */
  readonly hookSecrets: { generic?: SecretProvider; github?: SecretProvider; slack?: SecretProvider };
  readonly callbackSigningSecret: SecretProvider;
};

export const secretFamily = family<SecretDeps>((config) => ({
  secretsProvider: () =>
    makeSecretsProvider(makeSecretsManagerClient({ ...config, AWS_REGION: config.AWS_REGION ?? 'us-east-1' })),
  secret: (d) => (name, value, secretId) =>
    value || secretId ? makeSecretProvider({ name, value, secretId }, () => d.secretsProvider) : undefined,
  hookSecrets: (d) => {
    const generic = d.secret('GENERIC_HOOK_SECRET', config.GENERIC_HOOK_SECRET, config.GENERIC_HOOK_SECRET_ARN);
    const github = d.secret('GITHUB_WEBHOOK_SECRET', config.GITHUB_WEBHOOK_SECRET, config.GITHUB_WEBHOOK_SECRET_ARN);
    const slack = d.secret('SLACK_SIGNING_SECRET', config.SLACK_SIGNING_SECRET, config.SLACK_SIGNING_SECRET_ARN);
    return { ...(generic && { generic }), ...(github && { github }), ...(slack && { slack }) };
  },
  callbackSigningSecret: (d) =>
    required(
      d.secret('CALLBACK_SIGNING_SECRET', config.CALLBACK_SIGNING_SECRET, config.CALLBACK_SIGNING_SECRET_ARN),
      'CALLBACK_SIGNING_SECRET',
    ),
}));
