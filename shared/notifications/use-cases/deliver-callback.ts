import type { JobCallback } from '../../clones/model/clone-job.js';
import { isAppError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import type { CallbackSigner } from '../ports/callback-signer.js';
import type { HttpPoster } from '../ports/http-poster.js';

/** What happened to one callback: the job's `callbacks` entry without the delivery id the caller chose. */
export type CallbackOutcome = Omit<JobCallback, 'deliveryId'>;

export type RetryPolicy = {
  /** Attempts in all, the first included. @default 4 */
  attempts: number;
  /** Wait before the second attempt; doubles each time (±20 % jitter), capped by `maxDelayMs`. @default 1000 */
  baseDelayMs: number;
  maxDelayMs: number;
};
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000 };

export type DeliverCallbackDeps = {
  post: HttpPoster;
  /** Signs each attempt afresh (a new timestamp). */
  sign: CallbackSigner;
  clock: Clock;
  policy?: RetryPolicy;
  /** [0, 1) random source for the jitter; tests pass a constant. */
  random?: () => number;
};

export type CallbackInput = {
  url: string;
  /** Unique per event: receivers de-duplicate on it (delivery is at least once). */
  deliveryId: string;
  /** The JSON body, already serialised: exactly these bytes are signed. */
  body: string;
  signal?: AbortSignal;
};

const retryableStatus = (status: number): boolean => status >= 500 || status === 429 || status === 408;

/**
 * POSTs a completion to a `callbackUrl`, signed by `sign` (Standard Webhooks: `webhook-id` is the delivery id, also
 * sent as `X-Instaclone-Delivery`), and returns the outcome.
 * 1. A 2xx is `delivered`. 2. 5xx, 408, 429 and no answer at all are retried with capped exponential backoff,
 *    re-signed each time (fresh timestamp), up to `policy.attempts`, then `failed`. 3. Any other 4xx is `failed`
 *    at once (the receiver said no). 4. A target refused by the poster (scheme, SSRF) is `refused`, never tried.
 * Never rejects for the receiver's behaviour; rejects only when the signing secret cannot be read or `signal` aborts.
 */
export const makeDeliverCallback =
  ({ post, sign, clock, policy = DEFAULT_RETRY_POLICY, random = Math.random }: DeliverCallbackDeps) =>
  async (input: CallbackInput): Promise<CallbackOutcome> => {
    const done = (o: Omit<CallbackOutcome, 'url' | 'at'>): CallbackOutcome => ({
      ...o,
      url: input.url,
      at: clock.now().toISOString(),
    });
    let last: { status?: number; reason: string } = { reason: 'not tried' };
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (attempt > 1) {
        const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
        await clock.sleep(Math.round(delay * (0.8 + 0.4 * random())), input.signal);
      }
      const headers = {
        ...(await sign({ id: input.deliveryId, body: input.body, at: clock.now() })),
        'x-instaclone-delivery': input.deliveryId,
        'user-agent': 'instaclone-callback/1',
      };
      try {
        const { status } = await post(input.url, input.body, headers, input.signal ? { signal: input.signal } : {});
        if (status >= 200 && status < 300) return done({ state: 'delivered', attempts: attempt, status });
        last = { status, reason: `answered ${status}` };
        if (!retryableStatus(status)) return done({ state: 'failed', attempts: attempt, ...last });
      } catch (err) {
        if (input.signal?.aborted) throw err;
        if (isAppError(err) && err.code === 'TARGET_REFUSED') {
          return done({ state: 'refused', attempts: 0, reason: err.message });
        }
        last = { reason: err instanceof Error ? err.message : String(err) };
      }
    }
    return done({ state: 'failed', attempts: policy.attempts, ...last });
  };
