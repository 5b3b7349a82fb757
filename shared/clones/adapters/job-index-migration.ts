import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { JOB_TABLE } from '../../config/resources.js';

/**
 * The item that records the index migration of a job table (`npm run migrate`): `state` is `running` while the
 * backfill goes through the table (with the position it reached) and `done` once every job carries its index keys.
 */
export const MIGRATION_KEY = { [JOB_TABLE.partitionKey]: 'META#job-indexes' } as const;

/** The index layout this code writes: 2 = sharded status index plus the unsettled and pool indexes. */
export const INDEX_GENERATION = 2;

export type MigrationRecord = {
  generation: number;
  state: 'running' | 'done';
  /** Where the backfill's Scan goes on (its last evaluated key), while running. */
  resumeKey?: Record<string, unknown>;
  scanned: number;
  updated: number;
  updatedAt: string;
};

/**
 * Whether the job table may still hold jobs written before the indexes were sharded (items with `STATUS#<status>`
 * keys and no unsettled or pool keys). Until the migration record says `done`, readers also read those legacy
 * partitions, so a stage keeps working between the deploy and the backfill; afterwards they read only the new
 * partitions. Once `done` is seen it is kept for the life of the container (a table never goes back); before,
 * every read asks again (one GetItem), so a finished backfill is noticed at once.
 */
export class JobIndexMigration {
  private done = false;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** True while the table's migration is not recorded `done`. Rejects when DynamoDB does. */
  async pending(): Promise<boolean> {
    if (this.done) return false;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: MIGRATION_KEY }));
    const record = Item as Partial<MigrationRecord> | undefined;
    this.done = record?.state === 'done' && (record.generation ?? 0) >= INDEX_GENERATION;
    return !this.done;
  }
}
