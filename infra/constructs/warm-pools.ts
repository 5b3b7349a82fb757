import { Duration } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import { SCALING_LEASE_MS } from '#shared/pools/use-cases/scale-pool';
import type { StagePolicy } from '../access-policy.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { macRangesEnv, type StageConfig } from '../stage-config.js';
import { grantJobTable, JOB_TABLE_ACTIONS, JOB_TABLE_INDEX_READS } from '../table-access.js';
import { addManifestRoutes, addManifestRules, addManifestSchedule, type Gateway } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';
import type { VcenterAccess } from './vcenter-access.js';

/** Below the scaling lease, so a lease never expires under a live run. */
export const POOL_SCALER_TIMEOUT = Duration.seconds(60);
if (POOL_SCALER_TIMEOUT.toMilliseconds() >= SCALING_LEASE_MS)
  throw new Error('scaler timeout must stay below its lease');

/** Scaler table access: pools (get, lease updates), jobs by status, new jobs, claims for retirement. */
const SCALER_TABLE_ACTIONS = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

export type WarmPoolsProps = {
  readonly apiEntry: string;
  readonly scalerEntry: string;
  /** The service's APIs (main and OIDC): the pool routes are added to each. */
  readonly gateways: readonly Gateway[];
  /** The stage's policy, for the pool API (it decides who may claim and manage which pools). @default none */
  readonly accessPolicy?: StagePolicy | undefined;
  readonly stateful: StatefulResources;
  /** How the pool API reaches vCenter (a claim reads the job id on a spare's VM before handing it out). */
  readonly vcenter: VcenterAccess;
  /** The vCenter concurrency cap: the scaler never lets more jobs be in flight. */
  readonly maxConcurrency: number;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  /** The stage's managed MAC ranges, for pool templates that allocate from one. */
  readonly macRanges: StageConfig['macRanges'];
};

/**
 * Warm pools: the pool API function behind the `/v1/pools*` routes, and the pool scaler, invoked by its rules on the
 * service bus (pool clone completions, claims, releases, `Pool Scale Requested` from any source) and on a schedule,
 * all as the service manifest lists them. A claim asks vCenter whether a spare's VM is still its own, so the pool API
 * runs next to vCenter as the worker does (its subnets, security group, settings and secret); the scaler never talks
 * to vCenter and runs outside the VPC.
 */
export class WarmPools extends Construct {
  readonly api: NodeFunction;
  readonly scaler: NodeFunction;
  readonly rules: readonly Rule[];

  constructor(scope: Construct, id: string, props: WarmPoolsProps) {
    super(scope, id);
    const { stateful } = props;
    const environment = {
      [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
      [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
      [ENV.EVENT_BUS_NAME]: stateful.eventBus.eventBusName,
      ...macRangesEnv(props.macRanges),
    };
    const common = { logRetention: props.logRetention, logLevel: props.logLevel };
    this.api = new NodeFunction(this, 'Api', {
      ...common,
      entry: props.apiEntry,
      serviceName: serviceNameOf('pool-api'),
      description: 'instaclone pool API: pools, claims, releases',
      vpc: props.vcenter.vpc,
      bundledFiles: props.vcenter.bundledFiles,
      environment: { ...environment, ...props.vcenter.environment },
      accessPolicy: props.accessPolicy,
    });
    props.vcenter.grantRead(this.api.role);
    this.scaler = new NodeFunction(this, 'Scaler', {
      ...common,
      entry: props.scalerEntry,
      serviceName: serviceNameOf('pool-scaler'),
      description: 'instaclone pool scaler: keeps spare clones ready',
      timeout: POOL_SCALER_TIMEOUT,
      environment: { ...environment, [ENV.VCENTER_MAX_CONCURRENCY]: String(props.maxConcurrency) },
    });
    grantJobTable(stateful.jobTable, this.api.role, [...JOB_TABLE_ACTIONS.api], JOB_TABLE_INDEX_READS.pools);
    grantJobTable(stateful.jobTable, this.scaler.role, [...SCALER_TABLE_ACTIONS], JOB_TABLE_INDEX_READS.pools);
    for (const fn of [this.api, this.scaler]) {
      stateful.cloneQueue.grantSendMessages(fn.role);
      stateful.eventBus.grantPutEventsTo(fn.role);
    }

    addManifestRoutes(this, props.gateways, 'pool-api', this.api.function);
    const rules = addManifestRules(this, 'pool-scaler', this.scaler.function, stateful.eventBus);
    const schedule = addManifestSchedule(this, 'pool-scaler', this.scaler.function);
    this.rules = [...rules, ...(schedule ? [schedule] : [])];
  }
}
