import { requestSizeIssues } from '../../clones/model/request-limits.js';
import { type FieldIssue, PayloadTooLargeError } from '../../errors/app-error.js';
import { type PoolSpec, poolCloneRequest, sourcesOf } from './pool.js';

/**
 * A pool's spec as stored on its item, at most: the pool item also keeps up to 100 outstanding job ids and the
 * scaler's bookkeeping (a few KB), within DynamoDB's 400 KB.
 */
export const POOL_SPEC_LIMIT_BYTES = 320 * 1024;

/** The longest `claimedBy` (ClaimRequestSchema) and unique id (a UUID) a pool clone's request can carry. */
const LONGEST_CLAIMANT = 'x'.repeat(256);
const LONGEST_UNIQUE_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The size problems of a pool spec, each naming a field: every clone the pool makes must keep the clone request
 * budget (checked on the largest one: each source, claimed, with the longest name), and the spec itself must fit
 * {@link POOL_SPEC_LIMIT_BYTES}. Throws PayloadTooLargeError (413) when there are any.
 */
export const assertPoolFits = (name: string, spec: PoolSpec): void => {
  const issues: FieldIssue[] = [];
  const largest = sourcesOf(spec).map((_, sourceIndex) =>
    poolCloneRequest({ name, spec }, { sourceIndex, uniqueId: LONGEST_UNIQUE_ID, claimedBy: LONGEST_CLAIMANT }),
  );
  for (const issue of largest.flatMap(requestSizeIssues)) {
    if (!issues.some((i) => i.field === `template.${issue.field}`))
      issues.push({ ...issue, field: `template.${issue.field}` });
  }
  const stored = Buffer.byteLength(JSON.stringify(spec), 'utf8');
  if (issues.length === 0 && stored > POOL_SPEC_LIMIT_BYTES) {
    const field =
      JSON.stringify(spec.template).length >= JSON.stringify(spec.sources ?? []).length ? 'template' : 'sources';
    issues.push({ field, message: `the pool spec takes ${stored} bytes; at most ${POOL_SPEC_LIMIT_BYTES}` });
  }
  if (issues.length > 0) throw new PayloadTooLargeError(issues);
};
