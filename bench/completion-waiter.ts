import type { EventBus } from '#local/emulators/event-bus';
import { EVENT_RULES } from '#shared/events/event-rules';

/** When a job's completion event reached the bus (`performance.now()` of this process), its type and fault. */
export type Completion = { at: number; detailType: string; fault?: string };

/**
 * Watches an in-process event bus for completion events and lets a caller await one job's event.
 * The bus runs its targets before PutEvents answers, so `at` is when the worker published, not when it noticed.
 * `detailTypes` narrows what counts (e.g. only `Clone Configured` for a warm spare, whose birth was announced earlier).
 */
export function watchCompletions(
  bus: EventBus,
  { detailTypes }: { detailTypes?: readonly string[] } = {},
): {
  completion(jobId: string, timeoutMs?: number): Promise<Completion>;
  readonly seen: Map<string, Completion>;
} {
  const seen = new Map<string, Completion>();
  const waiters = new Map<string, (c: Completion) => void>();
  bus.addRule({
    name: `bench-completions${detailTypes ? `-${detailTypes.join('-')}` : ''}`,
    pattern: detailTypes
      ? { ...EVENT_RULES.allCloneEvents, 'detail-type': [...detailTypes] }
      : EVENT_RULES.allCloneEvents,
    target: (event) => {
      const jobId = String(event.detail['jobId']);
      const error = event.detail['error'] as { fault?: string; code?: string } | undefined;
      const fault = error?.fault ?? error?.code;
      const completion = { at: performance.now(), detailType: event['detail-type'], ...(fault && { fault }) };
      // A redelivered message may announce twice; the first announcement is the one that counts.
      if (seen.has(jobId)) return;
      seen.set(jobId, completion);
      waiters.get(jobId)?.(completion);
    },
  });
  return {
    seen,
    completion: (jobId, timeoutMs = 60_000) => {
      const done = seen.get(jobId);
      if (done) return Promise.resolve(done);
      return new Promise<Completion>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no completion event for ${jobId} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.set(jobId, (c) => {
          clearTimeout(timer);
          waiters.delete(jobId);
          resolve(c);
        });
      });
    },
  };
}
