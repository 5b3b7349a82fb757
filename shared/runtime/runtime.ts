import { setTimeout as setTimeoutPromise } from 'node:timers/promises';

/** Time as a dependency, so tests control it. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Id generation as a dependency, so tests control it. */
export interface IdGenerator {
  jobId(): string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => setTimeoutPromise(ms, undefined, signal ? { signal } : {}),
};
