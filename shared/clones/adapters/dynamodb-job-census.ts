import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import type { JobCensus } from '../../status/ports/status-probes.js';
import { JOB_STATUSES, type JobStatus } from '../model/clone-job.js';
import { statusPartitions } from './job-index-keys.js';

/**
 * The status's JobCensus on the job table's status index (one partition per status and shard, `STATUS#<status>#<n>`,
 * sorted by `<createdAt>#<jobId>`): counts are `Select: COUNT` queries over every shard, page after page (no item
 * leaves DynamoDB); the oldest job of a status is the oldest first entry of its shards. Eventually consistent, as any
 * index read. Jobs of a table not yet migrated to the sharded keys (`npm run migrate`) are not counted.
 */
export class DynamoDbJobCensus implements JobCensus {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  private partitions(status: JobStatus): QueryCommandInput[] {
    return statusPartitions(status).map(({ index, value }) => ({
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#gpk = :gpk',
      ExpressionAttributeNames: { '#gpk': index.partitionKey },
      ExpressionAttributeValues: { ':gpk': value },
    }));
  }

  private async countIn(partition: QueryCommandInput): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const { Count = 0, LastEvaluatedKey } = await this.doc.send(
        new QueryCommand({ ...partition, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      total += Count;
      start = LastEvaluatedKey;
    } while (start);
    return total;
  }

  private async count(status: JobStatus): Promise<number> {
    const counts = await Promise.all(this.partitions(status).map((partition) => this.countIn(partition)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const counts = await Promise.all(JOB_STATUSES.map((status) => this.count(status)));
    return Object.fromEntries(JOB_STATUSES.map((status, i) => [status, counts[i] ?? 0])) as Record<JobStatus, number>;
  }

  async oldestIn(statuses: readonly JobStatus[]) {
    const firsts = await Promise.all(
      statuses.flatMap((status) =>
        this.partitions(status).map(async (partition) => {
          const { Items = [] } = await this.doc.send(new QueryCommand({ ...partition, Limit: 1 }));
          const [item] = Items as Array<{ jobId?: unknown; createdAt?: unknown }>;
          return typeof item?.jobId === 'string' && typeof item.createdAt === 'string'
            ? { jobId: item.jobId, status, createdAt: item.createdAt }
            : undefined;
        }),
      ),
    );
    // The oldest first entry of each status's shards stands for that status.
    const oldest = new Map<JobStatus, { jobId: string; status: JobStatus; createdAt: string }>();
    for (const first of firsts) {
      if (!first) continue;
      const seen = oldest.get(first.status);
      if (!seen || first.createdAt < seen.createdAt) oldest.set(first.status, first);
    }
    return [...oldest.values()];
  }
}
