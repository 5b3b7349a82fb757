import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { RESOURCE_NAMES } from '#shared/config/resources';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { CloneEventBus } from '../constructs/clone-event-bus.js';
import { CloneQueue } from '../constructs/clone-queue.js';
import { type IntegrationSecretRefs, IntegrationSecrets } from '../constructs/integration-secrets.js';
import { JOB_INDEXES_CONTEXT, JobTable } from '../constructs/job-table.js';
import { NotificationDeadLetterQueue } from '../constructs/notification-dead-letter-queue.js';
import { VcenterSecret } from '../constructs/vcenter-secret.js';
import type { StageConfig } from '../stage-config.js';

/** What the service stack consumes from the stateful stack. */
export type StatefulResources = {
  readonly jobTable: ITableV2;
  readonly cloneQueue: IQueue;
  readonly cloneDeadLetterQueue: IQueue;
  /** Failed notifier events (callbacks, Slack replies), kept instead of dropped. */
  readonly notificationDeadLetterQueue: IQueue;
  readonly eventBus: IEventBus;
  readonly vcenterSecret: ISecret;
  readonly alarmTopic: ITopic;
  /** Hook, callback and GitHub App secrets; each function reads only its own. */
  readonly integrationSecrets: IntegrationSecretRefs;
};

export type StatefulStackProps = StackProps & { readonly config: StageConfig };

/** Physical name of a shared resource in one stage, so stages can share an account and region. */
export const stageResourceName = (base: string, stage: string): string => `${base}-${stage}`;

/**
 * Everything that holds data or identity and must outlive redeploys: job table, clone queue + DLQ (+ DLQ alarm),
 * the notifiers' DLQ (+ alarm),
 * event bus + archive, vCenter and integration secrets, and the alarm topic. Data resources are retained on stack
 * deletion.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly jobTable: ITableV2;
  readonly cloneQueue: IQueue;
  readonly cloneDeadLetterQueue: IQueue;
  readonly notificationDeadLetterQueue: IQueue;
  readonly eventBus: IEventBus;
  readonly vcenterSecret: ISecret;
  readonly alarmTopic: ITopic;
  readonly integrationSecrets: IntegrationSecretRefs;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const name = (base: string) => stageResourceName(base, config.stage);

    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      ...(config.alarms.topicArn && { topicArn: config.alarms.topicArn }),
      ...(config.alarms.email && { email: config.alarms.email }),
    }).topic;
    const indexes: unknown = this.node.tryGetContext(JOB_INDEXES_CONTEXT);
    this.jobTable = new JobTable(this, 'JobTable', {
      tableName: name(RESOURCE_NAMES.jobsTable),
      ...(typeof indexes === 'string' && { indexNames: indexes.split(',').map((index) => index.trim()) }),
    }).table;
    const queues = new CloneQueue(this, 'CloneQueue', {
      queueName: name(RESOURCE_NAMES.cloneQueue),
      deadLetterQueueName: name(RESOURCE_NAMES.cloneDeadLetterQueue),
      workerTimeout: Duration.seconds(config.worker.timeoutSeconds),
      alarmTopic: this.alarmTopic,
    });
    this.cloneQueue = queues.queue;
    this.cloneDeadLetterQueue = queues.deadLetterQueue;
    this.notificationDeadLetterQueue = new NotificationDeadLetterQueue(this, 'NotificationDeadLetterQueue', {
      queueName: name('instaclone-notification-dlq'),
      alarmTopic: this.alarmTopic,
    }).queue;
    this.eventBus = new CloneEventBus(this, 'EventBus', { eventBusName: name(RESOURCE_NAMES.eventBus) }).bus;
    this.vcenterSecret = new VcenterSecret(this, 'VcenterSecret', { secretName: config.vcenter.secretName }).secret;
    this.integrationSecrets = new IntegrationSecrets(this, 'IntegrationSecrets', { stage: config.stage }).secrets;
  }
}
