import type { QuotaCharge, QuotaLedger, QuotaOutcome, QuotaUsage } from '#shared/access/ports/quota-ledger';

/** QuotaLedger in memory, with the DynamoDB ledger's semantics (sets of job ids, all-or-nothing acquire). */
export class InMemoryQuotaLedger implements QuotaLedger {
  readonly counters = new Map<string, { live: Set<string>; active: Set<string>; acquiredAt?: string }>();

  private counter(key: string) {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { live: new Set(), active: new Set() };
      this.counters.set(key, counter);
    }
    return counter;
  }

  async acquire(charge: QuotaCharge, now: Date): Promise<QuotaOutcome> {
    const counter = this.counter(charge.key);
    const n = charge.jobIds.length;
    if (charge.jobIds[0] !== undefined && counter.live.has(charge.jobIds[0])) return { granted: true };
    if (charge.liveClones !== undefined && counter.live.size + n > charge.liveClones) {
      return { granted: false, field: 'liveClones', limit: charge.liveClones, inUse: counter.live.size };
    }
    if (charge.concurrentJobs !== undefined && counter.active.size + n > charge.concurrentJobs) {
      return { granted: false, field: 'concurrentJobs', limit: charge.concurrentJobs, inUse: counter.active.size };
    }
    for (const id of charge.jobIds) {
      counter.live.add(id);
      counter.active.add(id);
    }
    counter.acquiredAt = now.toISOString();
    return { granted: true };
  }

  async releaseActive(key: string, jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) this.counters.get(key)?.active.delete(id);
  }

  async releaseLive(key: string, jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) {
      this.counters.get(key)?.live.delete(id);
      this.counters.get(key)?.active.delete(id);
    }
  }

  async usage(key: string): Promise<QuotaUsage> {
    const counter = this.counters.get(key);
    return {
      key,
      live: [...(counter?.live ?? [])].sort(),
      active: [...(counter?.active ?? [])].sort(),
      ...(counter?.acquiredAt && { acquiredAt: counter.acquiredAt }),
    };
  }

  async list(): Promise<{ usages: QuotaUsage[] }> {
    return { usages: await Promise.all([...this.counters.keys()].map((key) => this.usage(key))) };
  }
}
