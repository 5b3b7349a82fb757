import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import { WORKER_BATCH_SIZE } from '#shared/config/resources';
import type { StagePolicy } from '../access-policy.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import type { StageConfig } from '../stage-config.js';
import { grantJobTable, JOB_TABLE_ACTIONS } from '../table-access.js';
import { NodeFunction } from './node-function.js';
import type { VcenterAccess } from './vcenter-access.js';

export type CloneWorkerProps = {
  readonly entry: string;
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** How it reaches vCenter (its subnets, settings and secret). */
  readonly vcenter: VcenterAccess;
  readonly logRetention: RetentionDays;
  /** The stage's policy (the worker settles its quota ledger when a job ends). @default none */
  readonly accessPolicy?: StagePolicy | undefined;
};

/**
 * The SQS worker that performs the instant clones. It runs in the private subnets next to vCenter and is fed by
 * an event source mapping with `ReportBatchItemFailures` (one bad record never retries its neighbours), small
 * batches (`WORKER_BATCH_SIZE`) and `MaximumConcurrency` = the stage's vCenter cap. Reserved concurrency is not
 * used: the mapping ignores it and would only be throttled by it.
 * Permissions: the job table (worker actions), PutEvents on the service bus, read of the vCenter secret only,
 * and the queue-consume actions the event source mapping adds.
 */
export class CloneWorker extends Construct {
  readonly function: IFunction;
  readonly nodeFunction: NodeFunction;

  constructor(scope: Construct, id: string, props: CloneWorkerProps) {
    super(scope, id);
    const { config, stateful } = props;
    const { vcenter } = config;
    const access = props.vcenter;

    this.nodeFunction = new NodeFunction(this, 'Worker', {
      entry: props.entry,
      serviceName: serviceNameOf('clone-worker'),
      description: 'instaclone worker: runs InstantClone_Task for queued jobs',
      timeout: Duration.seconds(config.worker.timeoutSeconds),
      memorySize: config.worker.memorySizeMb,
      logRetention: props.logRetention,
      logLevel: config.logLevel,
      vpc: access.vpc,
      bundledFiles: access.bundledFiles,
      accessPolicy: props.accessPolicy,
      environment: {
        [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
        [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
        [ENV.EVENT_BUS_NAME]: stateful.eventBus.eventBusName,
        ...access.environment,
      },
    });
    this.function = this.nodeFunction.function;
    const role = this.nodeFunction.role;
    grantJobTable(stateful.jobTable, role, [...JOB_TABLE_ACTIONS.worker]);
    stateful.eventBus.grantPutEventsTo(role);
    access.grantRead(role);
    this.nodeFunction.function.addEventSource(
      new SqsEventSource(stateful.cloneQueue, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: vcenter.maxConcurrency,
      }),
    );
  }
}
