import { DynamoDbSubmissionLedger } from '../clones/adapters/dynamodb-submission-ledger.js';
import type { SubmissionLedger } from '../clones/ports/submission-ledger.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import { family } from './family.js';

/**
 * The submission ledger (`Idempotency-Key` and signed-request replays: the job ids a submission made, in the job
 * table); the API and the hooks only.
 */
export type IdempotencyDeps = { readonly submissions: SubmissionLedger };

export const idempotencyFamily = family<IdempotencyDeps, AwsDeps>((config) => ({
  submissions: (d) => new DynamoDbSubmissionLedger(d.dynamo, jobsTable(config)),
}));
