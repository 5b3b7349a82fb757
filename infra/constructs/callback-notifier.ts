import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '#shared/config/env-keys';
import { EVENT_RULES } from '#shared/events/event-rules';
import { toCdkEventPattern } from '../event-pattern.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { JOB_TABLE_ACTIONS } from '../table-access.js';
import { NodeFunction } from './node-function.js';

export type CallbackNotifierProps = {
  readonly entry: string;
  readonly stateful: StatefulResources;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
};

/**
 * Posts a signed webhook to a job's `callbackUrl` when the job completes. Triggered by the shared
 * `EVENT_RULES.cloneCompleted` pattern on the service bus (the local bus routes with the same pattern).
 * Runs outside the VPC: callback URLs are on the internet. EventBridge retries failed invocations for up to an hour.
 */
export class CallbackNotifier extends Construct {
  readonly nodeFunction: NodeFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: CallbackNotifierProps) {
    super(scope, id);
    const { stateful } = props;
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: 'instaclone-callback-notifier',
      description: 'instaclone callback notifier: signed webhooks on clone completion',
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: { [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName },
    });
    stateful.jobTable.grant(this.nodeFunction.role, ...JOB_TABLE_ACTIONS.notifier);
    this.rule = new Rule(this, 'OnCloneCompleted', {
      description: 'Clone Succeeded / Clone Failed → callback notifier',
      eventBus: stateful.eventBus,
      eventPattern: toCdkEventPattern(EVENT_RULES.cloneCompleted),
      targets: [new LambdaFunction(this.nodeFunction.function, { retryAttempts: 8, maxEventAge: Duration.hours(1) })],
    });
  }
}
