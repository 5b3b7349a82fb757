import type { Rule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import type { SlackNotifierConfig } from '#shared/notifications/config';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { addManifestRules } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';
import { keepFailedEvents } from './notification-dead-letter-queue.js';

/** The only origin the notifier may post to: response URLs come from job labels, which any API caller can set. */
export const SLACK_RESPONSE_ORIGINS = 'https://hooks.slack.com';

/** Environment variables of the Slack notifier (names checked against its config schema). */
export const SLACK_NOTIFIER_ENV = {
  responseOrigins: 'SLACK_RESPONSE_ORIGINS',
} as const satisfies Record<string, keyof SlackNotifierConfig>;

export type SlackNotifierProps = {
  readonly entry: string;
  readonly stateful: Pick<StatefulResources, 'eventBus' | 'notificationDeadLetterQueue'>;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
};

/**
 * Posts the outcome of a clone made from Slack (`/clone`) to the command's `response_url`. Triggered by its rule in the service
 * manifest (the shared `EVENT_RULES.slackWanted` pattern) on the service bus. Needs no AWS permission beyond its logs, traces and
 * SendMessage to the notification DLQ (where an event goes when the function fails after Lambda's retries); runs
 * outside the VPC (it calls hooks.slack.com). A `response_url` lasts 30 minutes, so retries stop there.
 */
export class SlackNotifier extends Construct {
  readonly nodeFunction: NodeFunction;
  readonly rules: readonly Rule[];

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf('slack-notifier'),
      description: 'instaclone Slack notifier: clone outcomes to the slash command response_url',
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: { [SLACK_NOTIFIER_ENV.responseOrigins]: SLACK_RESPONSE_ORIGINS },
    });
    keepFailedEvents(this.nodeFunction.function, props.stateful.notificationDeadLetterQueue);
    this.rules = addManifestRules(this, 'slack-notifier', this.nodeFunction.function, props.stateful.eventBus);
  }
}
