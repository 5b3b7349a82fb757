import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { JOB_TABLE } from '#shared/config/resources';

export type JobTableProps = {
  /** Physical table name; the functions receive it through JOBS_TABLE_NAME, never hard-coded. */
  readonly tableName: string;
};

/**
 * The job table, the service's source of truth: one item per job, the status GSI for listings and the
 * reconciler, TTL for housekeeping. Key names come from `JOB_TABLE`, which the local emulator uses too.
 * On-demand billing, point-in-time recovery, deletion protection and RETAIN: losing it loses every job.
 */
export class JobTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: JobTableProps) {
    super(scope, id);
    const { statusIndex } = JOB_TABLE;
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: JOB_TABLE.partitionKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: JOB_TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: statusIndex.name,
          partitionKey: { name: statusIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: statusIndex.sortKey, type: AttributeType.STRING },
        },
      ],
    });
  }
}
