import { Duration } from 'aws-cdk-lib';
import { type Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_RULES } from '#shared/events/event-rules';
import { toCdkEventPattern } from '../event-pattern.js';

/** How long archived clone events stay replayable. */
export const ARCHIVE_RETENTION = Duration.days(30);

export type CloneEventBusProps = { readonly eventBusName: string };

/**
 * The service's own event bus plus an archive of every clone event (`EVENT_RULES.allCloneEvents`, the pattern the
 * local bus also uses), so consumers added later can replay history. Replays are unordered and carry
 * `replay-name`: consumers must be idempotent.
 */
export class CloneEventBus extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;

  constructor(scope: Construct, id: string, props: CloneEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.eventBusName });
    this.archive = this.bus.archive('Archive', {
      description: 'Every instaclone event, replayable',
      eventPattern: toCdkEventPattern(EVENT_RULES.allCloneEvents),
      retention: ARCHIVE_RETENTION,
    });
  }
}
