import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { writeUnitsOf } from '#local/metering/dynamodb-write-meter';

type Item = Record<string, AttributeValue>;
const S = (s: string) => ({ S: s });

/** A job item of about `kib` KiB, in `status`, optionally in the sparse unsettled index. */
const job = (status: string, { kib = 0.5, unsettled = false } = {}): Item => ({
  pk: S('JOB#a'),
  gsi1pk: S(`STATUS#${status}#3`),
  gsi1sk: S('2026-12-04T00:00:00.000Z#a'),
  ...(unsettled && { unsettledpk: S('UNSETTLED#3') }),
  status: S(status),
  padding: S('x'.repeat(Math.round(kib * 1024) - 120)),
});

describe('write units of one job write, as on-demand DynamoDB bills them', () => {
  it('bills a new unsettled job its item plus one entry in each index it enters', () => {
    // Act
    const units = writeUnitsOf(undefined, job('QUEUED', { unsettled: true }));

    // Assess: the item (1), its status entry (1), its keys-only unsettled entry (1)
    expect(units).toEqual({ table: 1, indexes: 2 });
  });

  it('bills a status change as the status entry moved (removed and added) and nothing for unchanged keys-only entries', () => {
    // Act
    const units = writeUnitsOf(job('QUEUED', { unsettled: true }), job('RUNNING', { unsettled: true }));

    // Assess
    expect(units).toEqual({ table: 1, indexes: 2 });
  });

  it('bills an all-projected entry rewritten in place by the larger of its two sizes, and a settled job its removal', () => {
    // Act
    const units = writeUnitsOf(job('SUCCEEDED', { unsettled: true }), job('SUCCEEDED', { kib: 2.5 }));

    // Assess: item 3 KiB-units, status entry rewritten (3), unsettled entry removed (1)
    expect(units).toEqual({ table: 3, indexes: 4 });
  });

  it('bills a write that changed nothing (a failed condition) the table alone', () => {
    // Act
    const units = writeUnitsOf(job('RUNNING'), job('RUNNING'));

    // Assess
    expect(units).toEqual({ table: 1, indexes: 0 });
  });
});
