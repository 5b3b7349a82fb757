import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { JOB_TABLE } from '../../config/resources.js';
import type { JobCensus } from '../../status/ports/status-probes.js';
import { JOB_STATUSES, type JobStatus } from '../model/clone-job.js';

/**
 * The status's JobCensus on the job table's status index (`STATUS#<status>`, sorted by `<createdAt>#<jobId>`):
 * counts are `Select: COUNT` queries, page after page (no item leaves DynamoDB); the oldest job of a status is the
 * first entry of its partition. Eventually consistent, as any index read.
 */
export class DynamoDbJobCensus implements JobCensus {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  private partition(status: JobStatus): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: JOB_TABLE.statusIndex.name,
      KeyConditionExpression: '#gpk = :gpk',
      ExpressionAttributeNames: { '#gpk': JOB_TABLE.statusIndex.partitionKey },
      ExpressionAttributeValues: { ':gpk': `STATUS#${status}` },
    };
  }

  private async count(status: JobStatus): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const { Count = 0, LastEvaluatedKey } = await this.doc.send(
        new QueryCommand({ ...this.partition(status), Select: 'COUNT', ExclusiveStartKey: start }),
      );
      total += Count;
      start = LastEvaluatedKey;
    } while (start);
    return total;
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const counts = await Promise.all(JOB_STATUSES.map((status) => this.count(status)));
    return Object.fromEntries(JOB_STATUSES.map((status, i) => [status, counts[i] ?? 0])) as Record<JobStatus, number>;
  }

  async oldestIn(statuses: readonly JobStatus[]) {
    const firsts = await Promise.all(
      statuses.map(async (status) => {
        const { Items = [] } = await this.doc.send(new QueryCommand({ ...this.partition(status), Limit: 1 }));
        const [item] = Items as Array<{ jobId?: unknown; createdAt?: unknown }>;
        return typeof item?.jobId === 'string' && typeof item.createdAt === 'string'
          ? { jobId: item.jobId, status, createdAt: item.createdAt }
          : undefined;
      }),
    );
    return firsts.filter((first) => first !== undefined);
  }
}
