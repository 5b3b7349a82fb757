/**
 * Remembers webhook deliveries for a while so a redelivery is acted on once.
 * `claim` is atomic: of two concurrent claims of one id exactly one gets true.
 */
export interface DeliveryLedger {
  /** True when this id was not seen within its TTL (and is now recorded); false for a repeat. */
  claim(id: string, options: { ttlSeconds: number; now: Date }): Promise<boolean>;
  /** Forgets a claim whose processing failed, so the sender's retry is not taken for a duplicate. */
  release(id: string): Promise<void>;
}

/** A ledger in memory, for tests and single-process use. */
export class InMemoryDeliveryLedger implements DeliveryLedger {
  readonly seen = new Map<string, number>();

  async claim(id: string, { ttlSeconds, now }: { ttlSeconds: number; now: Date }): Promise<boolean> {
    const expiresAt = this.seen.get(id);
    if (expiresAt !== undefined && expiresAt > now.getTime()) return false;
    this.seen.set(id, now.getTime() + ttlSeconds * 1000);
    return true;
  }

  async release(id: string): Promise<void> {
    this.seen.delete(id);
  }
}
