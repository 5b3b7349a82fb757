import type { Clock } from '#shared/runtime/runtime';

/**
 * The system clock, moved on by the test: `advance(ms)` makes every later `now()` that much later, so a job's
 * deadline passes without the test waiting for it. Sleeps are real (SQS, the simulator and the gateway run on real
 * time); only what the functions read as "now" moves.
 */
export const shiftedClock = (): Clock & { advance(ms: number): void } => {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
    advance: (ms) => {
      offset += ms;
    },
  };
};
