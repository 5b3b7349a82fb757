import { setMaxListeners } from 'node:events';
import type { Context } from 'aws-lambda';
import type { LocalLogger } from '../local-logger.js';
import { makeLambdaContext } from './lambda-context.js';

/** A Lambda handler as the local runtime calls it. */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

export type AsyncInvoker = {
  /** Invokes `handler` with `event` in the background, as Lambda's asynchronous invocation would; never throws. */
  invoke(functionName: string, handler: LocalHandler, event: unknown): void;
  /** Refuses new invocations, aborts the running ones' context signal and waits for them to settle. */
  close(): Promise<void>;
};

/**
 * Asynchronous invocation (EventBridge rules, schedules) for the local runtime: each run gets its own Lambda
 * context, with a `signal` that aborts when the stack closes, so a notifier waiting between retries stops at once.
 * A failed run is logged (`<function> failed`); Lambda's async retries are not reproduced locally.
 */
export const makeAsyncInvoker = (options: { logger: LocalLogger; timeoutMs: number }): AsyncInvoker => {
  const running = new Set<Promise<unknown>>();
  const abort = new AbortController();
  // Every run listens on this one signal (a notifier's request and its sleeps): dozens at once is normal, not a leak.
  setMaxListeners(0, abort.signal);
  return {
    invoke: (functionName, handler, event) => {
      if (abort.signal.aborted) return;
      const context = { ...makeLambdaContext({ functionName, timeoutMs: options.timeoutMs }), signal: abort.signal };
      const run = handler(event, context)
        .catch((error: unknown) => options.logger.warn(`${functionName} failed`, { error: String(error) }))
        .finally(() => running.delete(run));
      running.add(run);
    },
    close: async () => {
      abort.abort();
      await Promise.allSettled([...running]);
    },
  };
};
