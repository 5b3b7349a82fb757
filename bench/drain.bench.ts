/**
 * `drain`: how fast a burst drains under the vCenter protection cap. 1,000 clones with a 1 s simulated task and a
 * cap of 20 (`maxConcurrency`, VCENTER_MAX_CONCURRENCY in `npm start`): with exactly 20 tasks at a time the ideal
 * is 1000 / 20 × 1 s = 50 s. Prints the total (first POST to last completion event) against that ideal
 * (goal ≤ 1.1×) and the most InstantClone tasks the simulator saw at once (must never exceed the cap).
 *
 * The stack runs in this process with the embedded simulator, whose counters it reads directly; submission runs
 * alongside draining, as a burst would. Bounded: gives up after 5 minutes.
 * Usage: `npm run bench drain` (env BENCH_DRAIN_COUNT, default 1000; BENCH_DRAIN_CAP, default 20).
 */
import { randomBytes } from 'node:crypto';
import { silentLogger } from '#local/local-logger';
import { startLocalStack } from '#local/stack';
import { WORKER_BATCH_SIZE } from '#shared/config/resources';
import { cloneRequestFrom, submitClone } from './clone-api-client.js';
import { closedLoop } from './closed-loop.js';
import { watchCompletions } from './completion-waiter.js';
import { emit, machine } from './machine.js';

const count = Number(process.env.BENCH_DRAIN_COUNT ?? 1000);
const cap = Number(process.env.BENCH_DRAIN_CAP ?? 20);
const taskDurationMs = 1000;
const batchSize = WORKER_BATCH_SIZE;
const giveUpAfterMs = 5 * 60_000;

const countBy = (values: string[]): Record<string, number> =>
  values.reduce<Record<string, number>>((acc, v) => Object.assign(acc, { [v]: (acc[v] ?? 0) + 1 }), {});

// The worker's EMF metric lines would land between the JSON figures on stdout (their cost is a JSON.stringify).
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
emit(machine());
const apiToken = randomBytes(24).toString('base64url');
const stack = await startLocalStack({
  apiToken,
  // 20 sources keep every one far below the 255-clone delta-disk chain limit.
  simulator: { taskDurationMs, inventory: { vms: 20 } },
  maxConcurrency: cap,
  logger: silentLogger,
});
const sim = stack.vcsim?.sim;
if (!sim) throw new Error('the drain bench needs the embedded simulator');
const completions = watchCompletions(stack.bus);

try {
  const sources = sim
    .listVms()
    .filter((vm) => vm.powerState === 'poweredOn')
    .map((vm) => vm.moref);
  const jobIds: string[] = [];
  const t0 = performance.now();
  const submitted = await closedLoop(count, 32, async (i) => {
    jobIds.push(await submitClone(stack.apiUrl, apiToken, cloneRequestFrom(sources[i % sources.length] ?? '')));
  });
  const submitMs = performance.now() - t0;
  const deadline = t0 + giveUpAfterMs;
  const outcomes = await Promise.allSettled(
    jobIds.map((id) => completions.completion(id, Math.max(1, deadline - performance.now()))),
  );
  const finished = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const totalMs = Math.max(...finished.map((c) => c.at)) - t0;
  const idealMs = (count / cap) * taskDurationMs;
  const maxTasks = sim.stats.maxConcurrentCloneTasks;
  emit({
    kind: 'figure',
    bench: 'drain',
    clones: count,
    cap,
    batchSize,
    taskDurationMs,
    submitted: jobIds.length,
    submitFailures: submitted.failures,
    submitMs: Math.round(submitMs),
    succeeded: finished.filter((c) => c.detailType === 'Clone Succeeded').length,
    failed: finished.filter((c) => c.detailType !== 'Clone Succeeded').length,
    unfinished: jobIds.length - finished.length,
    failedBy: countBy(finished.flatMap((c) => (c.fault ? [c.fault] : []))),
    totalMs: Math.round(totalMs),
    idealMs,
    ratioToIdeal: Math.round((totalMs / idealMs) * 100) / 100,
    // How long each clone held one of the cap's slots on average: the task time plus everything around it.
    slotSecondsPerClone: Math.round(((totalMs * cap) / count / 1000) * 100) / 100,
    drainAfterLastSubmitMs: Math.round(totalMs - submitMs),
    maxConcurrentCloneTasks: maxTasks,
    // The local poller caps batches in flight, not records: cap × batchSize tasks could run at once.
    capExceeded: maxTasks > cap,
    goal: { ratioToIdeal: '<= 1.1', maxConcurrentCloneTasks: `<= ${cap}` },
    met: totalMs / idealMs <= 1.1 && maxTasks <= cap && finished.length === count,
  });
} finally {
  await stack.close();
}
