import type { Duration } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionName, serviceNameOf } from '#shared/composition/service-functions';
import { scheduleOf } from '#shared/composition/service-manifest';
import { ENV } from '#shared/config/env-keys';
import type { StagePolicy } from '../access-policy.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { grantJobTable, JOB_TABLE_ACTIONS, JOB_TABLE_INDEX_READS } from '../table-access.js';
import { addManifestSchedule } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';

export type ScheduledFunctionProps = {
  /** The function in the service manifest: its schedule (rate, description) and service name come from there. */
  readonly name: Extract<FunctionName, 'reconciler' | 'reaper'>;
  readonly entry: string;
  /** Must stay below the schedule's rate. @default NodeFunction's 30 seconds */
  readonly timeout?: Duration;
  readonly stateful: StatefulResources;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  /** The stage's policy, for the reconciler (it repairs the quota ledger). @default none */
  readonly accessPolicy?: StagePolicy | undefined;
};

/**
 * A housekeeping function on the fixed rate its schedule in the service manifest says (the reconciler re-drives
 * jobs stuck in QUEUED/RUNNING; the reaper expires leases). Both only query the job table by status, transition
 * jobs and enqueue clone messages; the worker does any vCenter work, so neither needs the VPC. Its timeout (30 s
 * unless set) stays below the rate, so runs do not overlap in the common case; the handlers must tolerate overlap
 * anyway (conditional updates).
 */
export class ScheduledFunction extends Construct {
  readonly nodeFunction: NodeFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    const { stateful } = props;
    const description = scheduleOf(props.name)?.description ?? props.name;
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf(props.name),
      description,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      ...(props.timeout && { timeout: props.timeout }),
      environment: {
        [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
        [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
      },
      accessPolicy: props.accessPolicy,
    });
    grantJobTable(
      stateful.jobTable,
      this.nodeFunction.role,
      [...JOB_TABLE_ACTIONS.housekeeping],
      JOB_TABLE_INDEX_READS[props.name],
    );
    stateful.cloneQueue.grantSendMessages(this.nodeFunction.role);
    const schedule = addManifestSchedule(this, props.name, this.nodeFunction.function);
    if (!schedule) throw new Error(`${props.name} has no schedule in the service manifest`);
    this.schedule = schedule;
  }
}
