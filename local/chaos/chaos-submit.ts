import type { ChaosOptions } from './chaos-options.js';
import type { StackSupervisor } from './stack-supervisor.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MAX_IN_FLIGHT = 32;
const ATTEMPTS = 20;

/** POSTs one job with an Idempotency-Key, so a retry after a dropped connection can never make a second job. */
async function submitOne(supervisor: StackSupervisor, apiToken: string, key: string, source: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const res = await supervisor.use((ready) =>
        fetch(`${ready.apiUrl}/v1/clones`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({
            source: { moref: source },
            nics: [{ key: 4000, mac: 'auto' }],
            guestinfo: { 'chaos.key': key },
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

/**
 * Submits `options.jobs` clone requests spread evenly over `options.submitSeconds`, round-robin over `sources`, and
 * sends each accepted job's message a second time straight to the queue. Pushes accepted job ids into `accepted`
 * as they come (the caller watches it) and resolves with the submissions that failed for good.
 */
export async function submitAll(
  supervisor: StackSupervisor,
  options: ChaosOptions,
  apiToken: string,
  sources: readonly string[],
  accepted: string[],
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
        const jobId = await submitOne(supervisor, apiToken, `chaos-${runId}-${i}`, sources[i % sources.length] ?? '');
        accepted.push(jobId);
        await supervisor.duplicate(jobId).catch(() => undefined);
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
