/**
 * One key a submission is remembered under: a caller's `Idempotency-Key`, or the signature of a signed request (its
 * replay must never make a second job). `ttlSeconds`: how long a retry is recognised.
 */
export type SubmissionKey = { kind: 'idempotency-key' | 'signature'; value: string; ttlSeconds: number };
