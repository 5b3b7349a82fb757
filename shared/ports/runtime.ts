/** Time as a dependency, so tests control it. */
export interface Clock {
  now(): Date;
}

/** Id generation as a dependency, so tests control it. */
export interface IdGenerator {
  jobId(): string;
}

export const systemClock: Clock = { now: () => new Date() };
