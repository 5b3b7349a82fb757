import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { JOB_TABLE } from '#shared/config/resources';

/**
 * DynamoDB actions each function may perform on the job table (granted on the table, and on the indexes of
 * `JOB_TABLE_INDEX_READS` for those that query).
 * Kept together so a new repository call means one reviewed edit here. Scan, batch and transact calls are left
 * out on purpose: the repository never uses them (dynalite cannot run transactions either).
 * Submission records (Idempotency-Key, signed-request replays) share the table: a conditional Put and a Get. The
 * `api` actions serve the pool API too, whose DeleteItem removes a pool.
 */
export const JOB_TABLE_ACTIONS = {
  /** Create, read, list (status GSI), cancel; submission records; pools (their API deletes them). */
  api: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  /** Load one job and move it through its states (conditional updates only; the API creates jobs). */
  worker: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  /** Reconciler and reaper: find jobs by status, then transition them. */
  housekeeping: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
  /**
   * Hooks function: create jobs (generic hook, GitHub `queued`, Slack `/clone`), read and cancel them, claim and
   * release GitHub delivery ids (Put/Delete) and keep submission records. It never lists, so no Query.
   */
  hooks: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  /** Hooks function with warm runner pools: find a pool's ready spares (status GSI) to claim one. */
  hooksWarmRunners: ['dynamodb:Query'],
  /** Status function: count jobs per status and find the oldest unfinished one (status GSI, read only). */
  status: ['dynamodb:Query'],
  /** Callback notifier: record each outcome on its job (an update of `callbacks` only; it never reads a job). */
  callbackNotifier: ['dynamodb:UpdateItem'],
} as const;

/** The job table's index names, from its shared key schema: every entry of `JOB_TABLE` with a `name` is an index. */
export const JOB_TABLE_INDEX_NAMES: readonly string[] = Object.values(JOB_TABLE).flatMap((entry) =>
  typeof entry === 'object' && 'name' in entry ? [entry.name] : [],
);

/**
 * The indexes each role queries, by name. `by-status` for every reader (listings, per-status counts, and the
 * partitions older code wrote, which every query also reads until the table's migration is done), `unsettled` for
 * the reconciler, `by-pool` for the pool census and claims. A role that never queries gets no index at all.
 */
export const JOB_TABLE_INDEX_READS = {
  api: ['by-status'],
  pools: ['by-status', 'by-pool'],
  reconciler: ['by-status', 'unsettled'],
  reaper: ['by-status'],
  hooksWarmRunners: ['by-status', 'by-pool'],
  /** The status function's census: counts and the oldest job per status. */
  status: ['by-status'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Grants `actions` on the job table and on the indexes named in `indexes`, each by name, never `index/*`: least
 * privilege that cdk-nag (AwsSolutions-IAM5) can see. Throws when `indexes` names an index `JOB_TABLE` lacks.
 */
export function grantJobTable(
  table: ITableV2,
  grantee: IGrantable,
  actions: readonly string[],
  indexes: readonly string[] = [],
): void {
  const unknown = indexes.filter((index) => !JOB_TABLE_INDEX_NAMES.includes(index));
  if (unknown.length > 0) throw new Error(`The job table has no index ${unknown.join(', ')}`);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...actions],
      resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
    }),
  );
}
