/**
 * `accept`: how fast the API accepts clone requests. POST /v1/clones through the local gateway (API handler →
 * DynamoDB emulator → SQS emulator) at a fixed concurrency for a fixed count, from a load generator in this
 * process against the stack in a child process, so the two never share an event loop.
 *
 * The worker is kept busy on purpose: a 10-minute simulated task and a cap of one batch mean it takes five
 * messages and then waits, so the figure is acceptance alone. Goal (2 cores): ≥ 500 req/s, p99 ≤ 50 ms.
 *
 * Usage: `npm run bench accept` (env BENCH_ACCEPT_COUNT, default 2000; BENCH_ACCEPT_CONCURRENCY, default 32).
 */
import { randomBytes } from 'node:crypto';
import { spawnStack } from '#local/chaos/spawn-stack';
import { submitClone } from './clone-api-client.js';
import { closedLoop } from './closed-loop.js';
import { summarise } from './latency-summary.js';
import { emit, machine } from './machine.js';

const count = Number(process.env.BENCH_ACCEPT_COUNT ?? 2000);
const concurrency = Number(process.env.BENCH_ACCEPT_CONCURRENCY ?? 32);
const warmup = 200;

emit(machine());
const apiToken = randomBytes(24).toString('base64url');
const stack = await spawnStack({
  apiToken,
  simulator: { taskDurationMs: 600_000 },
  maxConcurrency: 1,
  workerTimeoutMs: 60_000,
  closeGraceMs: 1_000,
});
try {
  const { apiUrl } = stack.ready;
  // JIT, connection pools and the emulators' first-table work are not what this bench is about.
  await closedLoop(warmup, concurrency, () => submitClone(apiUrl, apiToken).then(() => undefined));
  const run = await closedLoop(count, concurrency, () => submitClone(apiUrl, apiToken).then(() => undefined));
  const latency = summarise(run.latenciesMs);
  emit({
    kind: 'figure',
    bench: 'accept',
    requests: count,
    concurrency,
    failures: run.failures,
    wallMs: Math.round(run.wallMs),
    requestsPerSecond: Math.round((count / run.wallMs) * 1000),
    latencyMs: latency,
    goal: { requestsPerSecond: '>= 500', p99Ms: '<= 50' },
    met: count / (run.wallMs / 1000) >= 500 && latency.p99 <= 50 && run.failures === 0,
  });
} finally {
  await stack.stop(5_000);
}
