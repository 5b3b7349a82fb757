/**
 * `overhead`: what the service adds around vCenter. For each clone, the time from the POST to the `Clone Succeeded`
 * event on the bus, minus the simulator's task time, one clone at a time so nothing queues behind another. Also the
 * SOAP requests the simulator answered per clone (every request, login and property collector calls included).
 * Goal: overhead p50 ≤ 50 ms, p95 ≤ 150 ms; ≤ 4 SOAP round trips per clone.
 *
 * The stack runs in this process (the load is one request at a time, so it cannot crowd the server out) with the
 * embedded simulator, whose counters it reads directly.
 * Usage: `npm run bench overhead` (env BENCH_OVERHEAD_COUNT, default 50; BENCH_TASK_MS, default 100).
 */
import { randomBytes } from 'node:crypto';
import { silentLogger } from '#local/local-logger';
import { startLocalStack } from '#local/stack';
import { submitClone } from './clone-api-client.js';
import { watchCompletions } from './completion-waiter.js';
import { summarise } from './latency-summary.js';
import { emit, machine } from './machine.js';

const count = Number(process.env.BENCH_OVERHEAD_COUNT ?? 50);
const taskDurationMs = Number(process.env.BENCH_TASK_MS ?? 100);
const warmup = 3;

// The worker's EMF metric lines would land between the JSON figures on stdout (their cost is a JSON.stringify).
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
emit(machine());
const apiToken = randomBytes(24).toString('base64url');
const stack = await startLocalStack({ apiToken, simulator: { taskDurationMs }, logger: silentLogger });
const sim = stack.vcsim?.sim;
if (!sim) throw new Error('the overhead bench needs the embedded simulator');
const completions = watchCompletions(stack.bus);

const cloneOnce = async () => {
  const requestsBefore = sim.stats.requests;
  const methodsBefore = { ...sim.stats.byMethod };
  const t0 = performance.now();
  const jobId = await submitClone(stack.apiUrl, apiToken);
  const acceptedMs = performance.now() - t0;
  const done = await completions.completion(jobId);
  if (done.detailType !== 'Clone Succeeded') throw new Error(`job ${jobId} ended with ${done.detailType}`);
  const methods = Object.fromEntries(
    Object.entries(sim.stats.byMethod)
      .map(([m, n]) => [m, n - (methodsBefore[m] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
  return { acceptedMs, endToEndMs: done.at - t0, soapRequests: sim.stats.requests - requestsBefore, methods };
};

try {
  for (let i = 0; i < warmup; i++) await cloneOnce();
  const endToEnd: number[] = [];
  const accepted: number[] = [];
  const trips: number[] = [];
  const methodTotals: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const one = await cloneOnce();
    endToEnd.push(one.endToEndMs);
    accepted.push(one.acceptedMs);
    trips.push(one.soapRequests);
    for (const [m, n] of Object.entries(one.methods)) methodTotals[m] = (methodTotals[m] ?? 0) + n;
  }
  const overhead = summarise(endToEnd.map((ms) => ms - taskDurationMs));
  const tripsSorted = [...trips].sort((a, b) => a - b);
  const meanTrips = trips.reduce((a, b) => a + b, 0) / trips.length;
  emit({
    kind: 'figure',
    bench: 'overhead',
    clones: count,
    taskDurationMs,
    // The POST alone, to tell the API's share of the overhead from the queue's and the worker's.
    acceptMs: summarise(accepted),
    endToEndMs: summarise(endToEnd),
    overheadMs: overhead,
    soapRoundTripsPerClone: { min: tripsSorted[0], mean: Math.round(meanTrips * 100) / 100, max: tripsSorted.at(-1) },
    soapRequestsByMethodPerClone: Object.fromEntries(
      Object.entries(methodTotals).map(([m, n]) => [m, Math.round((n / count) * 100) / 100]),
    ),
    goal: { overheadP50Ms: '<= 50', overheadP95Ms: '<= 150', soapRoundTripsPerClone: '<= 4' },
    met: overhead.p50 <= 50 && overhead.p95 <= 150 && meanTrips <= 4,
  });
} finally {
  await stack.close();
}
