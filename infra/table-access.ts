import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { JOB_TABLE } from '#shared/config/resources';

/**
 * DynamoDB actions each function may perform on the job table (granted on the table and its indexes).
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
  /** Callback notifier: record each outcome on its job (an update of `callbacks` only; it never reads a job). */
  callbackNotifier: ['dynamodb:UpdateItem'],
} as const;

/** The job table's index names, from its shared key schema: every entry of `JOB_TABLE` with a `name` is an index. */
export const JOB_TABLE_INDEX_NAMES: readonly string[] = Object.values(JOB_TABLE).flatMap((entry) =>
  typeof entry === 'object' && 'name' in entry ? [entry.name] : [],
);

/**
 * Grants `actions` on the job table and on each of its indexes by name, never `index/*`: least privilege that
 * cdk-nag (AwsSolutions-IAM5) can see, and a new index is granted only once it is added to `JOB_TABLE`.
 */
export function grantJobTable(table: ITableV2, grantee: IGrantable, actions: readonly string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...actions],
      resources: [table.tableArn, ...JOB_TABLE_INDEX_NAMES.map((index) => `${table.tableArn}/index/${index}`)],
    }),
  );
}
