/**
 * Resident memory of the process under test over a run, in MiB: at start, at its peak, at the end, the growth (end
 * minus start), and every {@link MARK_EVERY} inputs (to tell a leak, which climbs to the end, from a heap that grows
 * to its working size and stays).
 */
export type RssFigures = {
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  rssGrowthMb: number;
  rssMbEvery1000Inputs: number[];
};
export type RssProbe = {
  /** Notes that `inputs` have been sent (the RSS is recorded at every 1000th). */
  mark(inputs: number): void;
  stop(): RssFigures;
};

const MARK_EVERY = 1000;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Samples `rssBytes()` every `everyMs` until stopped. */
export const startRssProbe = (rssBytes: () => number, everyMs = 250): RssProbe => {
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
    stop: () => {
      clearInterval(timer);
      const end = rssBytes();
      peak = Math.max(peak, end);
      return {
        rssStartMb: mib(start),
        rssPeakMb: mib(peak),
        rssEndMb: mib(end),
        rssGrowthMb: mib(end - start),
        rssMbEvery1000Inputs: marks,
      };
    },
  };
};
