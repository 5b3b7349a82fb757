import type { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '#shared/config/env-keys';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { JOB_TABLE_ACTIONS } from '../table-access.js';
import { NodeFunction } from './node-function.js';

export type ScheduledFunctionProps = {
  readonly entry: string;
  /** Powertools service name, e.g. `instaclone-reconciler`. */
  readonly serviceName: string;
  readonly description: string;
  readonly rate: Duration;
  /** Must stay below the rate. @default NodeFunction's 30 seconds */
  readonly timeout?: Duration;
  readonly stateful: StatefulResources;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
};

/**
 * A housekeeping function on a fixed rate (the reconciler re-drives jobs stuck in QUEUED/RUNNING; the reaper
 * expires leases). Both only query the job table by status, transition jobs and enqueue clone messages; the
 * worker does any vCenter work, so neither needs the VPC. Its timeout (30 s unless set) stays below the rate, so
 * runs do not overlap in the common case; the handlers must tolerate overlap anyway (conditional updates).
 */
export class ScheduledFunction extends Construct {
  readonly nodeFunction: NodeFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    const { stateful } = props;
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: props.serviceName,
      description: props.description,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      ...(props.timeout && { timeout: props.timeout }),
      environment: {
        [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
        [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
      },
    });
    stateful.jobTable.grant(this.nodeFunction.role, ...JOB_TABLE_ACTIONS.housekeeping);
    stateful.cloneQueue.grantSendMessages(this.nodeFunction.role);
    this.schedule = new Rule(this, 'Schedule', {
      description: props.description,
      schedule: Schedule.rate(props.rate),
      targets: [new LambdaFunction(this.nodeFunction.function, { retryAttempts: 0 })],
    });
  }
}
