/** Who holds a MAC: the job, since when (ISO time), and the managed range it was allocated from, if any. */
export type MacHolding = { mac: string; jobId: string; since: string; range?: string };

/**
 * One record per MAC the service's jobs hold; every write is conditional, so two jobs can never hold one MAC, however
 * many submits race. The registry judges nothing: whether a holder is still live is the use case's decision.
 */
export interface MacRegistry {
  /**
   * Records `holding` if the MAC is free or already held by the same job (a retried claim), or, with `replacing`,
   * if it is still held exactly as `replacing` says (taking over a holder that is no longer live). True when the
   * holding is recorded; false when someone else holds the MAC.
   */
  claim(holding: MacHolding, replacing?: MacHolding): Promise<boolean>;
  /** The MAC's holder, or undefined when it is free. Strongly consistent. */
  holder(mac: string): Promise<MacHolding | undefined>;
  /** Frees the MAC if `jobId` holds it; does nothing otherwise (it may have been taken over). */
  release(mac: string, jobId: string): Promise<void>;
  /**
   * The next position of range `range`'s allocation cursor: 0, 1, 2, … (atomic; each caller gets its own). The
   * allocator maps it onto the range, wrapping around, so consecutive allocations try consecutive MACs.
   */
  nextInRange(range: string): Promise<number>;
}
