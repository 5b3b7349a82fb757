import type { QuotaLedger } from '../ports/quota-ledger.js';

/** A job as far as its quota goes: its status and the counters its grant holds. */
export type QuotaHolder = { jobId: string; status: string; grant?: { quotaKey?: string | undefined } | undefined };

const GONE = ['FAILED', 'DESTROYED'];
const ACTIVE = ['QUEUED', 'RUNNING'];

/**
 * Releases what a job no longer holds, by its stored status: a job past QUEUED/RUNNING stops counting as a
 * concurrent job; a FAILED or DESTROYED one stops counting as a live clone. Idempotent (the counters are sets), so
 * the worker calls it on every announce and the reconciler's repair may call it again.
 */
export const makeSettleQuota =
  ({ ledger }: { ledger: QuotaLedger }) =>
  async (job: QuotaHolder): Promise<void> => {
    const key = job.grant?.quotaKey;
    if (key === undefined || ACTIVE.includes(job.status)) return;
    if (GONE.includes(job.status)) await ledger.releaseLive(key, [job.jobId]);
    else await ledger.releaseActive(key, [job.jobId]);
  };

export type RepairQuotasDeps = {
  ledger: QuotaLedger;
  /** The job's status, or undefined when there is no such job. */
  statusOf: (jobId: string) => Promise<string | undefined>;
  clock: { now(): Date };
  /** A counted id without a job is a leak only once its counter's last acquire is this old. Default 5 minutes. */
  graceMs?: number;
};

/**
 * The reconciler's repair: every counted job id whose job has ended (or whose job was never written, once the grace
 * period since the counter's last acquire has passed: the id is counted before its job row exists) is released, so a
 * crash between a job's end and its release never holds a quota for good. Resolves with the number of ids released.
 */
export const makeRepairQuotas = ({ ledger, statusOf, clock, graceMs = 5 * 60_000 }: RepairQuotasDeps) => {
  const settle = makeSettleQuota({ ledger });
  return async (): Promise<number> => {
    let released = 0;
    let cursor: string | undefined;
    do {
      const page = await ledger.list({ limit: 100, ...(cursor !== undefined && { cursor }) });
      for (const usage of page.usages) {
        const settled =
          usage.acquiredAt !== undefined && clock.now().getTime() - Date.parse(usage.acquiredAt) > graceMs;
        for (const jobId of new Set([...usage.live, ...usage.active])) {
          const status = await statusOf(jobId);
          const ended = status === undefined ? settled : !ACTIVE.includes(status);
          const holds = status === undefined || GONE.includes(status) ? true : usage.active.includes(jobId);
          if (!ended || !holds) continue;
          await settle({ jobId, status: status ?? 'FAILED', grant: { quotaKey: usage.key } });
          released += 1;
        }
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return released;
  };
};
