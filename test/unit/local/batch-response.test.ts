import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { judgeBatchResponse } from '#local/lambda/batch-response';

const record = (messageId: string) => ({ messageId }) as SQSRecord;
const batch = [record('m1'), record('m2'), record('m3')];
const ids = (verdict: ReturnType<typeof judgeBatchResponse>) =>
  verdict.kind === 'delete' ? verdict.records.map((r) => r.messageId) : verdict.kind;

describe('judgeBatchResponse', () => {
  it.each([
    ['nothing returned', undefined],
    ['null returned', null],
    ['an empty object', {}],
    ['a null failure list', { batchItemFailures: null }],
    ['an empty failure list', { batchItemFailures: [] }],
  ])('treats %s as complete success', (_name, response) => {
    // Act
    const verdict = judgeBatchResponse(batch, response);

    // Assess
    expect(ids(verdict)).toEqual(['m1', 'm2', 'm3']);
  });

  it('deletes every record except the reported failures', () => {
    // Act
    const verdict = judgeBatchResponse(batch, { batchItemFailures: [{ itemIdentifier: 'm2' }] });

    // Assess
    expect(verdict).toMatchObject({ kind: 'delete', failed: 1 });
    expect(ids(verdict)).toEqual(['m1', 'm3']);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemId: 'm1' }] }],
    ['an id not in the batch', { batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'zzz' }] }],
    ['a failure list that is not a list', { batchItemFailures: 'm1' }],
    ['a string response', 'ok'],
  ])('fails the whole batch for %s', (_name, response) => {
    // Act
    const verdict = judgeBatchResponse(batch, response);

    // Assess
    expect(verdict.kind).toBe('whole-batch-failed');
  });
});
