import type { Clock } from '#shared/runtime/runtime';

/** A clock that only moves when the test says so. */
export const fixedClock = (iso = '2026-11-25T12:00:00.000Z'): Clock & { advance(ms: number): void } => {
  let now = Date.parse(iso);
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    // Sleeping moves the fake time on at once, so waits and deadlines play out instantly.
    sleep: async (ms) => {
      now += ms;
    },
  };
};
