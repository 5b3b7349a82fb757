import { DETAIL_TYPES, EVENT_SOURCE } from './clone-events.js';
import type { EventPattern } from './event-pattern.js';

/**
 * Rule patterns shared by the CDK stacks and the local bus, so both route the same events.
 * `allCloneEvents` feeds the archive and the local events.ndjson file.
 */
export const EVENT_RULES = {
  allCloneEvents: { source: [EVENT_SOURCE] },
  cloneCompleted: { source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.succeeded, DETAIL_TYPES.failed] },
  /** Completion events of jobs that asked for a callback. */
  callbackWanted: {
    source: [EVENT_SOURCE],
    'detail-type': [DETAIL_TYPES.succeeded, DETAIL_TYPES.failed, DETAIL_TYPES.ready, DETAIL_TYPES.destroyed],
    detail: { callbackUrl: [{ exists: true }] },
  },
  /** Completion events of clones made from Slack (`/clone`): the Slack notifier posts them to the response URL. */
  slackWanted: {
    source: [EVENT_SOURCE],
    'detail-type': [DETAIL_TYPES.succeeded, DETAIL_TYPES.failed, DETAIL_TYPES.destroyed],
    detail: { labels: { 'slack.response-url': [{ exists: true }] } },
  },
} as const satisfies Record<string, EventPattern>;
