import type { CloneEvent } from '../../events/clone-events.js';
import type { EventPublisher } from '../../events/event-publisher.js';
import type { PoolEventPublisher } from '../ports/pool-ports.js';

/**
 * Pool events through the service's EventPublisher. Its adapter only forwards `detailType` and `detail`, so a pool
 * event travels unchanged; the cast is confined here until the port's event type is widened to any detail type.
 */
export const poolEventsVia = (events: EventPublisher): PoolEventPublisher => ({
  publish: (event) => events.publish(event as unknown as CloneEvent),
});
