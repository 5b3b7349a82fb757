import type { CallbackEvent, JobCallback } from '../../clones/model/clone-job.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { CloneEventDetailSchema, callbackEventOf } from '../../events/clone-events.js';
import type { CallbackBody } from '../model/callback-body.js';
import type { CallbackInput, CallbackOutcome } from './deliver-callback.js';

/** A bus event as EventBridge hands it to a Lambda target (the fields we use). */
export type BusEventInput = { id: string; 'detail-type': string; detail: unknown };

export type NotifyCallbackDeps = {
  deliver: (input: CallbackInput) => Promise<CallbackOutcome>;
  /** Where the outcome is kept: the job's `callbacks`, beside (never through) its versioned transitions. */
  jobs: Pick<JobRepository, 'recordCallback'>;
};

export type NotifyCallbackResult =
  | { notified: false; reason: string }
  | { notified: true; jobId: string; event: CallbackEvent; outcome: JobCallback };

/**
 * Turns one completion event into a signed callback and records its outcome on the job as `callbacks[event]`
 * (`succeeded`, `ready`, `failed` or `destroyed`). Events without a `callbackUrl`, whose detail is not version 1,
 * or whose type is not a clone event are skipped. The delivery id is the event id (stable across EventBridge retries
 * of the same event), suffixed with the status so receivers can de-duplicate. A job gone by then is not re-created.
 * Rejects only when delivering or recording rejects; a re-run then sends the same delivery id again.
 */
export const makeNotifyCallback =
  ({ deliver, jobs }: NotifyCallbackDeps) =>
  async (event: BusEventInput, signal?: AbortSignal): Promise<NotifyCallbackResult> => {
    const parsed = CloneEventDetailSchema.safeParse(event.detail);
    if (!parsed.success) return { notified: false, reason: 'detail is not a version 1 clone event' };
    const callbackEvent = callbackEventOf(event['detail-type']);
    if (!callbackEvent) return { notified: false, reason: 'not a clone event type' };
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
    const callback: JobCallback = { ...outcome, deliveryId };
    await jobs.recordCallback(job.jobId, callbackEvent, callback);
    return { notified: true, jobId: job.jobId, event: callbackEvent, outcome: callback };
  };
