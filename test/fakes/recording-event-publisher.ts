import type { CloneEvent } from '#shared/events/clone-events';
import type { EventPublisher } from '#shared/events/event-publisher';

/** Keeps every published event; fails the next `failNext` publishes to exercise retries. */
export class RecordingEventPublisher implements EventPublisher {
  readonly events: CloneEvent[] = [];
  failNext = 0;

  async publish(event: CloneEvent): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('bus unavailable');
    }
    this.events.push(event);
  }
}
