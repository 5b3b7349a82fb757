/**
 * `npm run migrate -- --table <name> [--region <region>] [--endpoint <url>] [--restart] [--page-size <n>]`: the
 * one-off backfill of a job table's indexes after an upgrade (infra/README.md, "Migrating a stage"). It checks that
 * every index of `JOB_TABLE` exists and is ACTIVE, then gives every job the index keys the current code reads
 * (`backfillJobIndexes`: idempotent, resumable, conditional on each job's version) and records the migration done,
 * which switches the functions to the new indexes only. Credentials and region come from the usual AWS chain
 * (AWS_PROFILE, AWS_REGION, …). Prints one line per page and exits non-zero naming what is wrong.
 */
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { backfillJobIndexes } from '#shared/clones/adapters/job-index-backfill';
import { JOB_TABLE_INDEXES } from '#shared/config/resources';

const USAGE =
  'usage: npm run migrate -- --table <name> [--region <region>] [--endpoint <url>] [--restart] [--page-size <n>]';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    restart: { type: 'boolean', default: false },
    'page-size': { type: 'string', default: '100' },
    help: { type: 'boolean', default: false },
  },
});
const pageSize = Number(values['page-size']);
if (values.help || !values.table || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
  console.error(values.help ? USAGE : `--table is required and --page-size is 1-1000\n${USAGE}`);
  process.exit(values.help ? 0 : 2);
}
const tableName = values.table;
const client = new DynamoDBClient({
  ...(values.region && { region: values.region }),
  ...(values.endpoint && { endpoint: values.endpoint }),
});

const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
const states = new Map((Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus]));
const notReady = JOB_TABLE_INDEXES.filter((index) => states.get(index.name) !== 'ACTIVE');
if (notReady.length > 0) {
  console.error(
    `${tableName}: index ${notReady.map((index) => `${index.name} (${states.get(index.name) ?? 'missing'})`).join(', ')} ` +
      'not ACTIVE yet: deploy the stateful stack with every index first and wait for ACTIVE (infra/README.md, "Migrating a stage")',
  );
  process.exit(1);
}
const record = await backfillJobIndexes(client, tableName, {
  pageSize,
  restart: values.restart,
  onProgress: (progress) =>
    console.log(`${tableName}: ${progress.scanned} jobs read, ${progress.updated} given their index keys`),
});
console.log(
  `${tableName}: migration ${record.state} (index generation ${record.generation}): ${record.scanned} jobs read, ` +
    `${record.updated} updated; the functions now read the new indexes only`,
);
client.destroy();
