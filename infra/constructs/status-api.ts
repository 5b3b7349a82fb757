import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import type { StagePolicy } from '../access-policy.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import type { StageConfig } from '../stage-config.js';
import { grantJobTable, JOB_TABLE_ACTIONS, JOB_TABLE_INDEX_READS } from '../table-access.js';
import { addManifestRoutes, type Gateway } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';
import type { VcenterAccess } from './vcenter-access.js';

export type StatusApiProps = {
  readonly entry: string;
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** How it reaches vCenter: as the worker does. */
  readonly vcenter: VcenterAccess;
  /** The APIs its route is added to (the main one, and each OIDC issuer's). */
  readonly gateways: readonly Gateway[];
  readonly logRetention: RetentionDays;
  /** The stage's policy: only its admins may read the status. @default none (any authenticated caller) */
  readonly accessPolicy?: StagePolicy | undefined;
};

/**
 * `GET /v1/status` (IAM auth) and its function. It logs in to vCenter as the worker does, so it runs in the worker's
 * subnets and security group with the same vCenter settings and secret; otherwise it only reads: the job table's
 * status index (counts, the oldest unfinished job) and both clone queues' attributes (depths).
 */
export class StatusApi extends Construct {
  readonly function: IFunction;
  readonly nodeFunction: NodeFunction;

  constructor(scope: Construct, id: string, props: StatusApiProps) {
    super(scope, id);
    const { config, stateful } = props;
    const { vcenter } = props;
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf('status-api'),
      description: 'instaclone status: vCenter login, queue depths, jobs per status',
      logRetention: props.logRetention,
      logLevel: config.logLevel,
      vpc: vcenter.vpc,
      bundledFiles: vcenter.bundledFiles,
      accessPolicy: props.accessPolicy,
      environment: {
        [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
        [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
        [ENV.CLONE_DLQ_URL]: stateful.cloneDeadLetterQueue.queueUrl,
        ...vcenter.environment,
      },
    });
    this.function = this.nodeFunction.function;
    const role = this.nodeFunction.role;
    grantJobTable(stateful.jobTable, role, [...JOB_TABLE_ACTIONS.status], JOB_TABLE_INDEX_READS.status);
    for (const queue of [stateful.cloneQueue, stateful.cloneDeadLetterQueue])
      queue.grant(role, 'sqs:GetQueueAttributes');
    vcenter.grantRead(role);
    addManifestRoutes(this, props.gateways, 'status-api', this.function);
  }
}
