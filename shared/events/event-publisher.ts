import type { CloneEvent } from './clone-events.js';

/** Publishes completion events. Rejects when the bus did not accept the event, so callers can retry. */
export interface EventPublisher {
  publish(event: CloneEvent): Promise<void>;
}
