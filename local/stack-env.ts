import { RESOURCE_NAMES } from '#shared/config/resources';
import type { DynamoDbEmulator } from './emulators/dynamodb-emulator.js';
import type { EventBus } from './emulators/event-bus.js';
import type { SqsEmulator } from './emulators/sqs-emulator.js';
import { LOCAL_REGION } from './local-aws.js';
import type { ExternalVcenter, LocalStackOptions } from './stack-options.js';

/** The integration settings as the functions read them (unset keys left out, so a route without a secret is off). */
export const integrationEnv = (o: NonNullable<LocalStackOptions['integrations']>, callbackSecret: string) => {
  const env: Record<string, string | undefined> = {
    GENERIC_HOOK_SECRET: o.genericHookSecret,
    GITHUB_WEBHOOK_SECRET: o.githubWebhookSecret,
    SLACK_SIGNING_SECRET: o.slackSigningSecret,
    GITHUB_RUNNER_POOLS: o.runnerPools,
    GITHUB_APP_ID: o.githubAppId,
    GITHUB_APP_PRIVATE_KEY: o.githubAppPrivateKey,
    GITHUB_API_URL: o.githubApiUrl,
    SLACK_RESPONSE_ORIGINS: o.slackResponseOrigins,
    CALLBACK_SIGNING_SECRET: callbackSecret,
    CALLBACK_ALLOW_INSECURE_HTTP: 'true',
    CALLBACK_ALLOW_PRIVATE_ADDRESSES: 'true',
    SLACK_ALLOW_INSECURE_HTTP: 'true',
    SLACK_ALLOW_PRIVATE_ADDRESSES: 'true',
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
};

/**
 * The settings the deployed functions read from their environment, as this stack's values: its emulators, its
 * vCenter, and Powertools' log level (quiet unless asked) with metrics off (EMF lines are for CloudWatch).
 */
export const functionEnv = (o: {
  dynamo: DynamoDbEmulator;
  sqs: SqsEmulator;
  bus: EventBus;
  vcenter: ExternalVcenter;
  logLevel: string;
}) => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ENDPOINT_URL_DYNAMODB: o.dynamo.endpoint,
  AWS_ENDPOINT_URL_SQS: o.sqs.endpoint,
  AWS_ENDPOINT_URL_EVENTBRIDGE: o.bus.endpoint,
  JOBS_TABLE_NAME: o.dynamo.tableName,
  CLONE_QUEUE_URL: o.sqs.queueUrl,
  CLONE_DLQ_URL: o.sqs.dlqUrl,
  EVENT_BUS_NAME: RESOURCE_NAMES.eventBus,
  VCENTER_URL: o.vcenter.url,
  VCENTER_USERNAME: o.vcenter.username,
  VCENTER_PASSWORD: o.vcenter.password,
  ...(o.vcenter.caFile && { VCENTER_CA_FILE: o.vcenter.caFile }),
  ...(o.vcenter.insecure && { VCENTER_INSECURE: 'true' }),
  POWERTOOLS_LOG_LEVEL: o.logLevel,
  POWERTOOLS_METRICS_DISABLED: 'true',
});

/** Settings that hold a secret, each with the `_ARN` setting that names it in Secrets Manager instead. */
const SECRET_SETTINGS = [
  'CALLBACK_SIGNING_SECRET',
  'GENERIC_HOOK_SECRET',
  'GITHUB_WEBHOOK_SECRET',
  'SLACK_SIGNING_SECRET',
  'GITHUB_APP_PRIVATE_KEY',
] as const;

/**
 * The same settings with every secret moved into Secrets Manager as deployed: each value replaced by the `_ARN`
 * setting of a secret holding it (vCenter's username and password by VCENTER_SECRET_ARN, JSON), and the secrets to
 * serve by ARN. The functions then read them through their deployed provider and its cache.
 */
export const secretsAsArns = (env: Record<string, string | undefined>) => {
  const arnOf = (name: string) => `arn:aws:secretsmanager:${LOCAL_REGION}:000000000000:secret:instaclone-${name}`;
  const moved: Record<string, string | undefined> = { ...env };
  const secrets: Record<string, string> = {};
  for (const name of SECRET_SETTINGS) {
    const value = moved[name];
    if (value === undefined) continue;
    delete moved[name];
    moved[`${name}_ARN`] = arnOf(name);
    secrets[arnOf(name)] = value;
  }
  const { VCENTER_USERNAME: username, VCENTER_PASSWORD: password, ...rest } = moved;
  secrets[arnOf('vcenter')] = JSON.stringify({ username, password });
  return { env: { ...rest, VCENTER_SECRET_ARN: arnOf('vcenter') }, secrets };
};
