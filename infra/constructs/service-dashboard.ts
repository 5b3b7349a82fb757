import { Duration } from 'aws-cdk-lib';
import { type Alarm, AlarmStatusWidget, Dashboard, GraphWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(1);

export type ServiceDashboardProps = {
  readonly dashboardName: string;
  readonly api: IFunction;
  readonly worker: IFunction;
  readonly cloneQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly alarms: readonly Alarm[];
};

/** One screen for the on-call: alarm states, queue backlog and age, DLQ, worker and API health. */
export class ServiceDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { api, worker, cloneQueue, deadLetterQueue } = props;
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }));
    this.dashboard.addWidgets(
      graph(
        'Clone queue',
        [
          cloneQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD }),
          cloneQueue.metricApproximateNumberOfMessagesNotVisible({ period: PERIOD }),
        ],
        [cloneQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' })],
      ),
      graph('Dead-letter queue', [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD })]),
      graph(
        'Worker',
        [
          worker.metricInvocations({ period: PERIOD }),
          worker.metricErrors({ period: PERIOD }),
          worker.metricThrottles({ period: PERIOD }),
        ],
        [worker.metricDuration({ period: PERIOD, statistic: 'p90' })],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'API function',
        [api.metricInvocations({ period: PERIOD }), api.metricErrors({ period: PERIOD })],
        [api.metricDuration({ period: PERIOD, statistic: 'p90' })],
      ),
    );
  }
}
