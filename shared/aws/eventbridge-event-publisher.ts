import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type CloneEvent, EVENT_SOURCE } from '../events/clone-events.js';
import type { EventPublisher } from '../events/event-publisher.js';

/** EventPublisher on EventBridge. PutEvents can fail per entry with a 200, so FailedEntryCount is checked. */
export class EventBridgeEventPublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(event: CloneEvent): Promise<void> {
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
          },
        ],
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      const entry = result.Entries?.[0];
      throw new Error(
        `EventBridge rejected ${event.detailType}: ${entry?.ErrorCode ?? '?'} ${entry?.ErrorMessage ?? ''}`,
      );
    }
  }
}
