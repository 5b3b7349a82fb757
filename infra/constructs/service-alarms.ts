import type { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_PERIOD, type AlarmThreshold, FUNCTION_ALARMS } from '../alarm-policy.js';
import { lostEvents, type MonitoredFunction } from '../monitored-function.js';

export type ServiceAlarmsProps = {
  /** Every function the service stack created for the stage (optional ones only when enabled). */
  readonly functions: readonly MonitoredFunction[];
  readonly cloneQueue: IQueue;
  readonly oldestMessageAge: Duration;
  readonly action: IAlarmAction;
};

/**
 * The service stack's alarms, all sent to `action` (the DLQ depth alarm lives with the queue in the stateful stack):
 * - per function, by its trigger (thresholds and their reasons in `FUNCTION_ALARMS`): `<name>Errors` always,
 *   `<name>Throttles` for the worker and the HTTP functions, `<name>LostEvents` for the EventBridge-invoked ones;
 * - `OldestCloneRequestAge`: the oldest clone request is older than the stage's limit (vCenter cap too low, or the
 *   worker stuck).
 */
export class ServiceAlarms extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.alarms = [
      ...props.functions.flatMap((fn) => this.functionAlarms(fn)),
      new Alarm(this, 'OldestCloneRequestAge', {
        alarmDescription: 'Clone requests wait too long: check the worker and the vCenter concurrency cap.',
        metric: props.cloneQueue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        threshold: props.oldestMessageAge.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of this.alarms) alarm.addAlarmAction(props.action);
  }

  private functionAlarms(fn: MonitoredFunction): Alarm[] {
    const { errors, throttles, lostEvents: lost } = FUNCTION_ALARMS[fn.trigger];
    const period = { period: ALARM_PERIOD };
    return [
      this.alarm(`${fn.name}Errors`, fn.title, fn.function.metricErrors(period), errors),
      ...(throttles
        ? [this.alarm(`${fn.name}Throttles`, fn.title, fn.function.metricThrottles(period), throttles)]
        : []),
      ...(lost && fn.trigger === 'async'
        ? [this.alarm(`${fn.name}LostEvents`, fn.title, lostEvents(fn, ALARM_PERIOD), lost)]
        : []),
    ];
  }

  private alarm(id: string, title: string, metric: IMetric, threshold: AlarmThreshold): Alarm {
    return new Alarm(this, id, {
      alarmDescription: `${title}: ${threshold.meaning}`,
      metric,
      threshold: threshold.threshold,
      evaluationPeriods: threshold.periods,
      datapointsToAlarm: threshold.datapoints,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
