import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const FIVE_MINUTES = Duration.minutes(5);

export type ServiceAlarmsProps = {
  readonly worker: IFunction;
  readonly api: IFunction;
  readonly cloneQueue: IQueue;
  readonly oldestMessageAge: Duration;
  readonly action: IAlarmAction;
};

/**
 * Alarms on the request path (the DLQ depth alarm lives with the queue in the stateful stack):
 * - worker errors: invocation-level failures in two consecutive 5-minute periods (per-record failures are reported
 *   as batch item failures and do not count; a whole failed batch or a crash does);
 * - worker and API throttles: any throttle means the account concurrency is exhausted;
 * - oldest clone request older than the stage's limit: jobs are waiting (vCenter cap too low, or the worker stuck).
 */
export class ServiceAlarms extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const atLeastOne = {
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    this.alarms = [
      new Alarm(this, 'WorkerErrors', {
        alarmDescription: 'The clone worker failed whole invocations (crash, timeout or every record failed).',
        metric: props.worker.metricErrors({ period: FIVE_MINUTES }),
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        ...atLeastOne,
      }),
      new Alarm(this, 'WorkerThrottles', {
        alarmDescription: 'The clone worker was throttled: account concurrency is exhausted.',
        metric: props.worker.metricThrottles({ period: FIVE_MINUTES }),
        evaluationPeriods: 1,
        ...atLeastOne,
      }),
      new Alarm(this, 'ApiThrottles', {
        alarmDescription: 'The API function was throttled: callers receive errors.',
        metric: props.api.metricThrottles({ period: FIVE_MINUTES }),
        evaluationPeriods: 1,
        ...atLeastOne,
      }),
      new Alarm(this, 'OldestCloneRequestAge', {
        alarmDescription: 'Clone requests wait too long: check the worker and the vCenter concurrency cap.',
        metric: props.cloneQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: props.oldestMessageAge.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of this.alarms) alarm.addAlarmAction(props.action);
  }
}
