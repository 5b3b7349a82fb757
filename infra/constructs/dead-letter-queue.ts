import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

export type AlarmedDeadLetterQueueProps = {
  /** Construct ids in `scope` (kept as they are so deployed resources keep their logical ids). */
  readonly queueId: string;
  readonly alarmId: string;
  readonly queueName: string;
  /** What the on-call reads: what sits in the queue and what to do about it. */
  readonly alarmDescription: string;
  readonly alarmTopic: ITopic;
};

/**
 * A dead-letter queue the service's way: 14 days' retention, SSE-SQS, TLS only, retained on stack deletion, and an
 * alarm to `alarmTopic` as soon as one message is visible (1-minute period, missing data is fine).
 */
export function alarmedDeadLetterQueue(
  scope: Construct,
  props: AlarmedDeadLetterQueueProps,
): { queue: Queue; alarm: Alarm } {
  const queue = new Queue(scope, props.queueId, {
    queueName: props.queueName,
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledge(queue, {
    rule: 'AwsSolutions-SQS3',
    reason: 'This queue is itself a dead-letter queue (a redrive target or a Lambda on-failure destination)',
  });
  const alarm = new Alarm(scope, props.alarmId, {
    alarmDescription: props.alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  return { queue, alarm };
}
