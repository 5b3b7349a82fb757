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
  EVENT_BUS_NAME: RESOURCE_NAMES.eventBus,
  VCENTER_URL: o.vcenter.url,
  VCENTER_USERNAME: o.vcenter.username,
  VCENTER_PASSWORD: o.vcenter.password,
  ...(o.vcenter.caFile && { VCENTER_CA_FILE: o.vcenter.caFile }),
  ...(o.vcenter.insecure && { VCENTER_INSECURE: 'true' }),
  POWERTOOLS_LOG_LEVEL: o.logLevel,
  POWERTOOLS_METRICS_DISABLED: 'true',
});
