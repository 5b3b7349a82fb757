import { RemovalPolicy } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/**
 * The integration secrets (issue 9), each a plain SecretString (no JSON), named `instaclone/<stage>/<name>`:
 * - `generic-hook`: HMAC key of `X-Instaclone-Signature` on `POST /v1/hooks/generic` (the CI systems get it);
 * - `github-webhook`: the GitHub App's webhook secret (`X-Hub-Signature-256` on `POST /v1/hooks/github`);
 * - `slack-signing`: the Slack app's signing secret (`POST /v1/chat/slack`), set by Slack;
 * - `callback-signing`: HMAC key the callback notifier signs callbacks with (receivers get it);
 * - `github-app-private-key`: the GitHub App's PEM private key (worker and reaper call the GitHub API as the App).
 */
export const INTEGRATION_SECRETS = {
  genericHook: { name: 'generic-hook', description: 'HMAC key of POST /v1/hooks/generic' },
  githubWebhook: { name: 'github-webhook', description: 'GitHub App webhook secret (POST /v1/hooks/github)' },
  slackSigning: { name: 'slack-signing', description: 'Slack app signing secret (POST /v1/chat/slack)' },
  callbackSigning: { name: 'callback-signing', description: 'HMAC key of the signed job callbacks' },
  githubAppPrivateKey: { name: 'github-app-private-key', description: 'GitHub App private key (PEM)' },
} as const;

export type IntegrationSecretKey = keyof typeof INTEGRATION_SECRETS;
/** The secrets as the service stack sees them. */
export type IntegrationSecretRefs = Readonly<Record<IntegrationSecretKey, ISecret>>;

/** Physical name of one integration secret in a stage, e.g. `instaclone/dev/generic-hook`. */
export const integrationSecretName = (stage: string, key: IntegrationSecretKey): string =>
  `instaclone/${stage}/${INTEGRATION_SECRETS[key].name}`;

export type IntegrationSecretsProps = { readonly stage: string };

/**
 * Creates every integration secret, whatever the stage's features, so an operator can store the values before
 * turning a feature on and a feature toggled off and on again never collides with its retained secret. Like the
 * vCenter secret, CloudFormation only generates a random value (letters and digits): no credential sits in a
 * template. The HMAC keys (`generic-hook`, `github-webhook`, `callback-signing`) may be kept as generated and
 * handed to the other side; `slack-signing` and `github-app-private-key` must be replaced with Slack's and GitHub's.
 * Retained: replacing the stack must not drop them. Each function is granted read on only the ones it uses.
 */
export class IntegrationSecrets extends Construct {
  readonly secrets: Readonly<Record<IntegrationSecretKey, Secret>>;

  constructor(scope: Construct, id: string, props: IntegrationSecretsProps) {
    super(scope, id);
    const create = (key: IntegrationSecretKey) =>
      new Secret(this, key.charAt(0).toUpperCase() + key.slice(1), {
        secretName: integrationSecretName(props.stage, key),
        description: `instaclone ${props.stage}: ${INTEGRATION_SECRETS[key].description}`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
    acknowledge(this, {
      rule: 'AwsSolutions-SMG4',
      reason: 'Shared with GitHub, Slack or webhook receivers, which must change them in step: rotated by the operator',
    });
    this.secrets = {
      genericHook: create('genericHook'),
      githubWebhook: create('githubWebhook'),
      slackSigning: create('slackSigning'),
      callbackSigning: create('callbackSigning'),
      githubAppPrivateKey: create('githubAppPrivateKey'),
    };
  }
}
