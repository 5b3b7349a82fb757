import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { JOB_TABLE, JOB_TABLE_INDEXES } from '#shared/config/resources';

/** CDK context key that limits the job table's indexes during a migration (`-c instaclone:jobIndexes=by-status,unsettled`). */
export const JOB_INDEXES_CONTEXT = 'instaclone:jobIndexes';

export type JobTableProps = {
  /** Physical table name; the functions receive it through JOBS_TABLE_NAME, never hard-coded. */
  readonly tableName: string;
  /**
   * Names of the `JOB_TABLE` indexes to create. CloudFormation adds at most one global secondary index to an existing
   * table per stack update, so a migration deploys them one by one (infra/README.md, "Migrating a stage").
   * @default every index of `JOB_TABLE`
   */
  readonly indexNames?: readonly string[];
};

/**
 * The job table, the service's source of truth: one item per job, the indexes of `JOB_TABLE` (status listings, the
 * reconciler's sparse unsettled index, the pools' sparse index), TTL for housekeeping. Key names come from
 * `JOB_TABLE`, which the local emulator uses too. On-demand billing, point-in-time recovery, deletion protection and
 * RETAIN: losing it loses every job. Throws when `indexNames` names an unknown index or leaves out the status index.
 */
export class JobTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: JobTableProps) {
    super(scope, id);
    const wanted = new Set(props.indexNames ?? JOB_TABLE_INDEXES.map((index) => index.name));
    const unknown = [...wanted].filter((name) => !JOB_TABLE_INDEXES.some((index) => index.name === name));
    if (unknown.length > 0 || !wanted.has(JOB_TABLE.statusIndex.name))
      throw new Error(
        `${JOB_INDEXES_CONTEXT}: ${unknown.length > 0 ? `unknown index ${unknown.join(', ')}` : `${JOB_TABLE.statusIndex.name} is required`} (indexes: ${JOB_TABLE_INDEXES.map((index) => index.name).join(', ')})`,
      );
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: JOB_TABLE.partitionKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: JOB_TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: JOB_TABLE_INDEXES.filter((index) => wanted.has(index.name)).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      })),
    });
  }
}
