import { makeIdempotentSubmit } from '../clones/adapters/powertools-idempotent-submit.js';
import type { SubmitWithKey } from '../clones/api/clone-api-routes.js';
import type { CloneJob } from '../clones/model/clone-job.js';
import type { CloneRequest } from '../clones/model/clone-request.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import { family } from './family.js';

/** The `Idempotency-Key` header (Powertools idempotency, records in the job table); the API and the hooks only. */
export type IdempotencyDeps = {
  readonly withIdempotencyKey: (submit: (request: CloneRequest) => Promise<CloneJob[]>) => SubmitWithKey;
};

export const idempotencyFamily = family<IdempotencyDeps, AwsDeps>((config) => ({
  withIdempotencyKey: (d) => (submit) =>
    makeIdempotentSubmit({ submit, dynamo: d.dynamo, tableName: jobsTable(config) }),
}));
