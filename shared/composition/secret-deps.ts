import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { makeSecretsManagerClient } from '../aws/aws-clients.js';
import { makeSecretProvider, type SecretProvider } from '../aws/secret-provider.js';
import { family } from './family.js';
import { required } from './lazily.js';

/**
 * Secrets: each a value (local runs) or a Secrets Manager secret (AWS), read on first use and cached with a TTL, so
 * a rotation is picked up without a redeploy. `secret` is undefined when neither is configured.
 */
export type SecretDeps = {
  readonly secretsManager: SecretsManagerClient;
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
  secretsManager: () => makeSecretsManagerClient({ ...config, AWS_REGION: config.AWS_REGION ?? 'us-east-1' }),
  secret: (d) => (name, value, secretId) =>
    value || secretId ? makeSecretProvider({ name, value, secretId }, { secrets: () => d.secretsManager }) : undefined,
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
