import type { SQSRecord } from 'aws-lambda';

/** What the event source does with a batch once the handler has answered. */
export type BatchVerdict =
  | { kind: 'delete'; records: SQSRecord[]; failed: number }
  | { kind: 'whole-batch-failed'; reason: string };

/**
 * Applies Lambda's `ReportBatchItemFailures` rules to a handler's return value:
 * - nothing returned, `batchItemFailures` null/absent or empty → every record succeeded;
 * - listed ids failed, every other record is deleted;
 * - an empty/null `itemIdentifier`, an id not in the batch, or a response that is not of the expected
 *   shape → the whole batch failed and nothing is deleted.
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
 */
export function judgeBatchResponse(records: readonly SQSRecord[], response: unknown): BatchVerdict {
  if (response === undefined || response === null) return { kind: 'delete', records: [...records], failed: 0 };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'whole-batch-failed', reason: 'response is not an object' };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'delete', records: [...records], failed: 0 };
  if (!Array.isArray(failures)) return { kind: 'whole-batch-failed', reason: 'batchItemFailures is not a list' };

  const inBatch = new Set(records.map((record) => record.messageId));
  const failedIds = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return { kind: 'whole-batch-failed', reason: 'empty itemIdentifier' };
    if (!inBatch.has(id)) return { kind: 'whole-batch-failed', reason: `itemIdentifier ${id} is not in the batch` };
    failedIds.add(id);
  }
  return {
    kind: 'delete',
    records: records.filter((record) => !failedIds.has(record.messageId)),
    failed: failedIds.size,
  };
}
