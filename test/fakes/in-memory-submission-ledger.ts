import type { SubmissionLedger, SubmissionRecord } from '#shared/clones/ports/submission-ledger';

/** SubmissionLedger in a Map, with expiry on the given clock's time. */
export class InMemorySubmissionLedger implements SubmissionLedger {
  readonly records = new Map<string, SubmissionRecord & { expiresAt: number }>();

  async remember(key: string, record: SubmissionRecord, { ttlSeconds, now }: { ttlSeconds: number; now: Date }) {
    const kept = this.records.get(key);
    if (kept && kept.expiresAt > now.getTime()) return { fingerprint: kept.fingerprint, jobIds: [...kept.jobIds] };
    this.records.set(key, { ...record, jobIds: [...record.jobIds], expiresAt: now.getTime() + ttlSeconds * 1000 });
    return record;
  }
}
