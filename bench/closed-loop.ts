/**
 * Runs `task(i)` for i in 0..count-1 with exactly `concurrency` calls in flight (a closed-loop load generator:
 * each worker starts its next call when the previous one settles), and resolves with each call's latency in
 * milliseconds, in completion order. A rejected call is counted in `failures` and its latency still recorded.
 */
export async function closedLoop(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ latenciesMs: number[]; failures: number; wallMs: number }> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      try {
        await task(i);
      } catch {
        failures++;
      }
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latenciesMs, failures, wallMs: performance.now() - started };
}
