import { CloneEventDetailSchema } from '../../events/clone-events.js';
import { outcomeMessage, SLACK_LABELS } from '../model/slack-messages.js';
import type { HttpPoster } from '../ports/http-poster.js';
import type { BusEventInput } from './notify-callback.js';

export type NotifySlackResult = { posted: false; reason: string } | { posted: true; jobId: string; status: number };

/**
 * Posts a completion event of a chat-made clone (label `slack.response-url`) to that response URL as an
 * ephemeral message (name, IP, time taken, or the fault in plain words). Slack's response URLs take five posts
 * within 30 minutes; later ones fail with 404, which is reported, not retried. Rejects when the poster rejects
 * (a refused origin or no answer).
 */
export const makeNotifySlack =
  ({ post }: { post: HttpPoster }) =>
  async (event: BusEventInput, signal?: AbortSignal): Promise<NotifySlackResult> => {
    const parsed = CloneEventDetailSchema.safeParse(event.detail);
    if (!parsed.success) return { posted: false, reason: 'detail is not a version 1 clone event' };
    const responseUrl = parsed.data.labels[SLACK_LABELS.responseUrl];
    if (!responseUrl) return { posted: false, reason: 'not made from Slack' };
    const text = outcomeMessage(event['detail-type'], parsed.data);
    if (!text) return { posted: false, reason: `nothing to say about ${event['detail-type']}` };
    const body = JSON.stringify({ response_type: 'ephemeral', replace_original: false, text });
    const { status } = await post(responseUrl, body, {}, signal ? { signal } : {});
    return { posted: true, jobId: parsed.data.jobId, status };
  };
