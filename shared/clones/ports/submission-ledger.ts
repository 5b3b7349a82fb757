/** What a ledger keeps per key: which request it was (a fingerprint) and the ids of the jobs it makes. */
export type SubmissionRecord = { fingerprint: string; jobIds: string[] };

/**
 * Remembers which jobs a submission makes, under a key (a caller's Idempotency-Key, a signed request's signature), so
 * that a retry of it gets those jobs and never makes new ones. Only ids are kept: the answer is rebuilt from the jobs.
 */
export interface SubmissionLedger {
  /**
   * Keeps `record` under `key` for `ttlSeconds` unless a live record is there already, atomically (of two concurrent
   * calls exactly one record wins). Resolves with the record under the key afterwards: `record`, or the earlier one.
   */
  remember(
    key: string,
    record: SubmissionRecord,
    options: { ttlSeconds: number; now: Date },
  ): Promise<SubmissionRecord>;
}
