/**
 * `pool-claim`: how fast a warm pool hands out a clone, and how fast it refills. A stack in a child process (the
 * simulator with 20 ms tasks, the vCenter cap at 8) gets a pool with `spare` ready clones; then
 * - sequential claims, each with the pool full again first: claim latency with spares ready (goal p95 ≤ 200 ms)
 *   and time-to-replenish (claim answered → the pool shows `spare` ready clones again);
 * - one burst of `spare` concurrent claims: their latency and the time until the pool is full again.
 *
 * Usage: `npm run bench pool-claim` (env BENCH_POOL_CLAIMS, default 30; BENCH_POOL_SPARE, default 5).
 */
import { randomBytes } from 'node:crypto';
import { spawnStack } from '#local/chaos/spawn-stack';
import { summarise } from './latency-summary.js';
import { emit, machine } from './machine.js';

const claims = Number(process.env.BENCH_POOL_CLAIMS ?? 30);
const spare = Number(process.env.BENCH_POOL_SPARE ?? 5);
const warmup = 3;

emit(machine());
const apiToken = randomBytes(24).toString('base64url');
const stack = await spawnStack({
  apiToken,
  simulator: { taskDurationMs: 20 },
  maxConcurrency: 8,
  workerTimeoutMs: 60_000,
  closeGraceMs: 1_000,
});
const { apiUrl } = stack.ready;

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

/** Resolves with the ms until the pool shows `spare` ready clones and none in flight. */
const untilFull = async (started = performance.now(), timeoutMs = 30_000): Promise<number> => {
  for (;;) {
    const { json } = await call('GET', '/v1/pools/bench');
    const status = json.status as { ready?: number; inFlight?: number };
    if (status.ready === spare && status.inFlight === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`pool never refilled: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const claim = async (i: number) => {
  const started = performance.now();
  const { status, json } = await call('POST', '/v1/pools/bench/claim', { claimedBy: `bench-${i}` });
  const ms = performance.now() - started;
  if (status !== 200 && status !== 202) throw new Error(`claim answered ${status}: ${JSON.stringify(json)}`);
  return { ms, source: json.source as string, answered: performance.now() };
};

try {
  const put = await call('PUT', '/v1/pools/bench', { source: { path: '/DC0/vm/DC0_H0_VM0' }, spare, max: 100 });
  if (put.status !== 201) throw new Error(`PUT /v1/pools/bench answered ${put.status}`);
  const firstFillMs = await untilFull();

  const latencies: number[] = [];
  const replenish: number[] = [];
  let fresh = 0;
  for (let i = 0; i < warmup + claims; i++) {
    const result = await claim(i);
    const refillMs = await untilFull(result.answered);
    if (i < warmup) continue;
    latencies.push(result.ms);
    replenish.push(refillMs);
    if (result.source !== 'spare') fresh++;
  }
  const latency = summarise(latencies);
  emit({
    kind: 'figure',
    bench: 'pool-claim',
    mode: 'sequential, pool full before each claim',
    claims,
    spare,
    freshFallbacks: fresh,
    firstFillMs: Math.round(firstFillMs),
    claimLatencyMs: latency,
    timeToReplenishMs: summarise(replenish),
    goal: { p95Ms: '<= 200' },
    met: latency.p95 <= 200 && fresh === 0,
  });

  const burstStarted = performance.now();
  const burst = await Promise.all(Array.from({ length: spare }, (_, i) => claim(1000 + i)));
  const burstRefillMs = await untilFull(burstStarted);
  emit({
    kind: 'figure',
    bench: 'pool-claim',
    mode: `burst of ${spare} concurrent claims`,
    claims: spare,
    freshFallbacks: burst.filter((b) => b.source !== 'spare').length,
    claimLatencyMs: summarise(burst.map((b) => b.ms)),
    timeToReplenishMs: Math.round(burstRefillMs),
  });
} finally {
  await stack.stop(5_000);
}
