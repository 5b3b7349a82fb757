import { z } from 'zod';
import { CloneEventDetailSchema } from '../events/clone-events.js';
import type { CallbackInput, CallbackOutcome } from './deliver-callback.js';

/** The body a callback receiver gets, version 1: the event's type and the job as the event describes it. */
export const CallbackBodySchema = z.object({
  version: z.literal('1'),
  type: z.string(),
  deliveryId: z.string(),
  job: CloneEventDetailSchema,
});
export type CallbackBody = z.infer<typeof CallbackBodySchema>;

/** A bus event as EventBridge hands it to a Lambda target (the fields we use). */
export type BusEventInput = { id: string; 'detail-type': string; detail: unknown };

export type NotifyCallbackDeps = {
  deliver: (input: CallbackInput) => Promise<CallbackOutcome>;
  /** Stores the outcome on the job (the lead's `callback` field); optional until it exists. */
  record?: (jobId: string, outcome: CallbackOutcome) => Promise<void>;
};

export type NotifyCallbackResult =
  | { notified: false; reason: string }
  | { notified: true; jobId: string; outcome: CallbackOutcome };

/**
 * Turns one completion event into a signed callback. Events without a `callbackUrl`, or whose detail is not
 * version 1, are skipped. The delivery id is the event id (stable across EventBridge retries of the same event),
 * suffixed with the status so receivers can de-duplicate. Rejects only when delivering or recording rejects.
 */
export const makeNotifyCallback =
  ({ deliver, record }: NotifyCallbackDeps) =>
  async (event: BusEventInput, signal?: AbortSignal): Promise<NotifyCallbackResult> => {
    const parsed = CloneEventDetailSchema.safeParse(event.detail);
    if (!parsed.success) return { notified: false, reason: 'detail is not a version 1 clone event' };
    const job = parsed.data;
    if (!job.callbackUrl) return { notified: false, reason: 'no callbackUrl' };
    const deliveryId = `${event.id}:${job.status}`;
    const body: CallbackBody = { version: '1', type: event['detail-type'], deliveryId, job };
    const outcome = await deliver({
      url: job.callbackUrl,
      deliveryId,
      body: JSON.stringify(body),
      ...(signal && { signal }),
    });
    await record?.(job.jobId, outcome);
    return { notified: true, jobId: job.jobId, outcome };
  };
