import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { lostEventMetrics, type MonitoredFunction } from '../monitored-function.js';

const PERIOD = Duration.minutes(1);
/** Graphs per dashboard row (the grid is 24 units wide). */
const GRAPHS_PER_ROW = 3;

export type ServiceDashboardProps = {
  readonly dashboardName: string;
  /** Every function the service stack created for the stage, in the order their graphs appear. */
  readonly functions: readonly MonitoredFunction[];
  readonly cloneQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Failed notifier events (callbacks, Slack replies). */
  readonly notificationDeadLetterQueue: IQueue;
  readonly alarms: readonly Alarm[];
};

/**
 * One screen for the on-call: alarm states, queue backlog and age, both DLQs, then one graph per function titled with its
 * `title`: invocations, errors and throttles (plus, for EventBridge-invoked functions, dropped events and each rule's
 * failed invocations) on the left, p90 and maximum duration on the right.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { cloneQueue, deadLetterQueue, notificationDeadLetterQueue } = props;

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }));
    const graphs = [
      graph(
        'Clone queue',
        [
          cloneQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD }),
          cloneQueue.metricApproximateNumberOfMessagesNotVisible({ period: PERIOD }),
        ],
        [cloneQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' })],
      ),
      graph('Dead-letter queues', [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: 'Clone requests' }),
        notificationDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          label: 'Notifications',
        }),
      ]),
      ...props.functions.map(functionGraph),
    ];
    for (let start = 0; start < graphs.length; start += GRAPHS_PER_ROW) {
      this.dashboard.addWidgets(...graphs.slice(start, start + GRAPHS_PER_ROW));
    }
  }
}

function graph(title: string, left: IMetric[], right: IMetric[] = []): IWidget {
  return new GraphWidget({ title, left, right, width: 24 / GRAPHS_PER_ROW, height: 6 });
}

function functionGraph(fn: MonitoredFunction): IWidget {
  const lambda = fn.function;
  return graph(
    fn.title,
    [
      lambda.metricInvocations({ period: PERIOD }),
      lambda.metricErrors({ period: PERIOD }),
      lambda.metricThrottles({ period: PERIOD }),
      ...(fn.trigger === 'async' ? lostEventMetrics(fn, PERIOD) : []),
    ],
    [
      lambda.metricDuration({ period: PERIOD, statistic: 'p90', label: 'Duration p90' }),
      lambda.metricDuration({ period: PERIOD, statistic: 'Maximum', label: 'Duration max' }),
    ],
  );
}
