import { CALLBACK_EVENTS, type CallbackEvent, type JobCallback } from '../../clones/model/clone-job.js';
import type { ConsoleJob } from './console-job.js';

/** One event published for the job, with the outcome of its callback when the request had a `callbackUrl`. */
export type JobEvent = { name: string; at: string; callback?: JobCallback };

const NAMES: Readonly<Record<CallbackEvent, string>> = {
  succeeded: 'Clone Succeeded',
  ready: 'Clone Ready',
  failed: 'Clone Failed',
  destroyed: 'Clone Destroyed',
};

/**
 * The events the service published for the job, oldest first, read from its recorded moments (an event is published
 * only after its state is recorded): Succeeded, Ready (waitFor ip), Configured, Failed, Destroyed.
 */
export const eventsOf = (job: ConsoleJob): JobEvent[] => {
  const at: Partial<Record<CallbackEvent | 'configured', string>> = {
    ...(job.readyAt && { succeeded: job.readyAt }),
    ...(job.readyAt && job.request.waitFor === 'ip' && { ready: job.readyAt }),
    ...(job.status === 'FAILED' && { failed: job.updatedAt }),
    ...(job.destroyedAt && { destroyed: job.destroyedAt }),
    ...(job.configuredAt && { configured: job.configuredAt }),
  };
  const events: JobEvent[] = CALLBACK_EVENTS.flatMap((event) => {
    const when = at[event];
    const callback = job.callbacks?.[event];
    return when === undefined ? [] : [{ name: NAMES[event], at: when, ...(callback && { callback }) }];
  });
  if (at.configured) events.push({ name: 'Clone Configured', at: at.configured });
  return events.sort((a, b) => a.at.localeCompare(b.at));
};
