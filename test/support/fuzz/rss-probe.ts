/**
 * Resident memory of the process under test over a run, in MiB: at start, at its peak, at the last input, once the
 * service has been idle a while (what it kept: in-flight work done, its heap shrunk), the growth (idle minus start),
 * and every 1,000 inputs (a leak climbs to the end; a heap growing to its working size levels off).
 */
export type RssFigures = {
  rssStartMb: number;
  rssPeakMb: number;
  rssAtLastInputMb: number;
  rssIdleMb: number;
  rssGrowthMb: number;
  rssMbEvery1000Inputs: number[];
};
export type RssProbe = {
  /** Notes that `inputs` have been sent (the RSS is recorded at every 1000th). */
  mark(inputs: number): void;
  /** Waits `idleMs` with nothing sent, then stops sampling and gives the figures. */
  stop(idleMs: number): Promise<RssFigures>;
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
    stop: async (idleMs) => {
      const atLastInput = rssBytes();
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      clearInterval(timer);
      const idle = rssBytes();
      return {
        rssStartMb: mib(start),
        rssPeakMb: mib(Math.max(peak, atLastInput, idle)),
        rssAtLastInputMb: mib(atLastInput),
        rssIdleMb: mib(idle),
        rssGrowthMb: mib(idle - start),
        rssMbEvery1000Inputs: marks,
      };
    },
  };
};
