/**
 * Retry decorator on the SOAP transport for read-only calls that failed in transit (connection reset, timeout,
 * 503 from a load balancer). Calls that change vCenter (`*_Task`, CreateFilter, …) are never repeated here: a lost
 * answer does not mean the change did not happen, so the worker reconciles instead. Faults are never retried here
 * either; the session layer handles NotAuthenticated and the worker the rest.
 */
import { VimTransportError } from './errors.js';
import type { SoapTransport, VimMethod } from './soap/transport.js';

const READ_ONLY: ReadonlySet<VimMethod> = new Set([
  'RetrieveServiceContent',
  'Login',
  'FindByInventoryPath',
  'FindChild',
  'RetrievePropertiesEx',
]);

export interface RetryPolicy {
  /** Total attempts, first one included. */
  attempts: number;
  /** Delay before the second attempt; doubles each time, with ±50 % jitter. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200 };

function shouldRetry(err: unknown): boolean {
  return err instanceof VimTransportError && err.retryable && err.kind !== 'aborted';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new VimTransportError('aborted', 'request aborted by the caller', { retryable: true }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wraps `inner`: read-only calls are retried with capped exponential backoff; the abort signal stops the wait. */
export function withRetry(inner: SoapTransport, policy: RetryPolicy = DEFAULT_RETRY): SoapTransport {
  return {
    async call(method, args, options = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.call(method, args, options);
        } catch (err) {
          if (attempt >= policy.attempts || !READ_ONLY.has(method) || !shouldRetry(err)) throw err;
          const delay = policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random());
          await sleep(delay, options.signal);
        }
      }
    },
    get roundTrips() {
      return inner.roundTrips;
    },
    setApiVersion: (version) => inner.setApiVersion(version),
    clearSession: () => inner.clearSession(),
    close: () => inner.close(),
  };
}
