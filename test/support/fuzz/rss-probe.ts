/**
 * Resident memory of the process under test over a run, in MiB: before the first input, at its peak, at the last
 * input, after 30 s idle, then after a full collection (what the service keeps), the growth (collected minus the
 * collected start), and every 1,000 inputs (a leak climbs to the end; a heap growing to its working size levels off).
 */
/**
 * What the process holds after a full collection, in MiB (the JS heap, and memory outside it: `external`, of which
 * `arrayBuffers` are Buffers), and the sizes of the stand-ins' stores that only grow (none of them is in a deployed
 * function's process).
 */
export type HeldMemory = {
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  busEvents?: number;
  simulatorVms?: number;
};
export type RssFigures = {
  rssStartMb: number;
  rssPeakMb: number;
  rssAtLastInputMb: number;
  rssIdleMb: number;
  rssCollectedMb: number;
  rssGrowthMb: number;
  rssMbEvery1000Inputs: number[];
  /** After the collection before the first input, and after the last one. */
  heldAtStart?: HeldMemory;
  heldAtEnd?: HeldMemory;
};
export type RssProbe = {
  /** Notes that `inputs` have been sent (the RSS is recorded at every 1000th). */
  mark(inputs: number): void;
  /** Waits `idleMs` with nothing sent, collects, then stops sampling and gives the figures. */
  stop(idleMs: number): Promise<RssFigures>;
};

const MARK_EVERY = 1000;
export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * Samples `rssBytes()` every `everyMs` until stopped; `collect` runs a full garbage collection in the process
 * measured (before the start figure and before the last one), so the growth is what it kept, not what it had not
 * collected yet, and says what the process holds then, when it can tell.
 */
export const startRssProbe = async (
  rssBytes: () => number,
  collect: () => Promise<HeldMemory | undefined>,
  everyMs = 250,
): Promise<RssProbe> => {
  const heldAtStart = await collect();
  const start = rssBytes();
  const marks: number[] = [];
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes());
  }, everyMs);
  timer.unref();
  return {
    mark: (inputs) => {
      if (inputs % MARK_EVERY === 0) marks.push(mib(rssBytes()));
    },
    stop: async (idleMs) => {
      const atLastInput = rssBytes();
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      const idle = rssBytes();
      const heldAtEnd = await collect();
      clearInterval(timer);
      const collected = rssBytes();
      return {
        rssStartMb: mib(start),
        rssPeakMb: mib(Math.max(peak, atLastInput, idle)),
        rssAtLastInputMb: mib(atLastInput),
        rssIdleMb: mib(idle),
        rssCollectedMb: mib(collected),
        rssGrowthMb: mib(collected - start),
        rssMbEvery1000Inputs: marks,
        ...(heldAtStart && { heldAtStart }),
        ...(heldAtEnd && { heldAtEnd }),
      };
    },
  };
};
