import type { ChaosOptions } from './chaos-options.js';
import type { JobPlan } from './chaos-scenarios.js';
import type { StackSupervisor } from './stack-supervisor.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MAX_IN_FLIGHT = 32;
const ATTEMPTS = 20;

/** POSTs one job with an Idempotency-Key, so a retry after a dropped connection can never make a second job. */
async function submitOne(supervisor: StackSupervisor, apiToken: string, key: string, plan: JobPlan): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const res = await supervisor.use((ready) =>
        fetch(`${ready.apiUrl}/v1/clones`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({
            source: plan.source,
            nics: [{ key: 4000, mac: 'auto' }],
            guestinfo: { 'chaos.key': key },
            ...(plan.timeoutMinutes !== undefined && { timeoutMinutes: plan.timeoutMinutes }),
          }),
        }),
      );
      const text = await res.text();
      if (res.status === 202) return (JSON.parse(text) as { jobId: string }).jobId;
      last = `${res.status} ${text.slice(0, 200)}`;
      // 409 here means "the same key is still in progress": the first attempt died with the stack.
      if (res.status !== 409 && res.status < 500) break;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`POST /v1/clones for ${key} failed: ${last}`);
}

/** DELETEs a job, retrying while the stack is down; a job already gone or finished answers as it is (harmless). */
async function deleteOne(supervisor: StackSupervisor, apiToken: string, jobId: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const res = await supervisor.use((ready) =>
        fetch(`${ready.apiUrl}/v1/clones/${jobId}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${apiToken}` },
        }),
      );
      await res.text();
      if (res.status < 500) return;
    } catch {
      // the stack is being killed or restarted: try again
    }
    await sleep(250);
  }
}

/**
 * Submits `options.jobs` clone requests spread evenly over `options.submitSeconds`, each as `plan(i)` says, and
 * sends each accepted job's message a second time straight to the queue; a planned DELETE follows its acceptance.
 * Pushes accepted job ids into `accepted` (and the DELETEd ones into `deleted`) as they come (the caller watches
 * them) and resolves with the submissions that failed for good.
 */
export async function submitAll(
  supervisor: StackSupervisor,
  options: ChaosOptions,
  apiToken: string,
  plan: (i: number) => JobPlan,
  accepted: string[],
  deleted: string[],
): Promise<string[]> {
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const spacingMs = (options.submitSeconds * 1000) / Math.max(1, options.jobs);
  const t0 = Date.now();
  const runId = `${options.seed}-${t0}`;
  for (let i = 0; i < options.jobs; i++) {
    await sleep(Math.max(0, t0 + i * spacingMs - Date.now()));
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const one = (async () => {
      try {
        const job = plan(i);
        const jobId = await submitOne(supervisor, apiToken, `chaos-${runId}-${i}`, job);
        accepted.push(jobId);
        await supervisor.duplicate(jobId).catch(() => undefined);
        if (job.deleteAfterMs !== undefined) {
          await sleep(job.deleteAfterMs);
          await deleteOne(supervisor, apiToken, jobId);
          deleted.push(jobId);
        }
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    })();
    inFlight.add(one);
    void one.finally(() => inFlight.delete(one));
  }
  await Promise.all(inFlight);
  return failures;
}
