import type { CloneRequestInput } from '../../clones/model/clone-request.js';
import { isJobId } from '../../clones/model/job-id.js';
import type { SubmissionKey } from '../../clones/model/submission-key.js';

/** The fields of Slack's slash-command form we use. */
export type SlashCommand = {
  teamId: string;
  userId: string;
  channelId: string;
  text: string;
  responseUrl: string;
  /** The signed request's replay key: a replayed `/clone` gets the first one's job, not a second clone. */
  replayKey?: SubmissionKey;
};

/** Slack's immediate answer; ephemeral: only the user who typed the command sees it. */
export type SlackReply = { response_type: 'ephemeral'; text: string };

/** What a `/clone …` slash command asks for. */
export type SlackCommand =
  | { kind: 'help' }
  | { kind: 'status'; jobId: string }
  | { kind: 'destroy'; jobId: string }
  | { kind: 'clone'; request: Omit<CloneRequestInput, 'labels'> & { labels: Record<string, string> } }
  | { kind: 'invalid'; problem: string };

/** Text of `/clone help`. */
export const SLACK_HELP = [
  '*/clone* makes an instant clone of a running VM.',
  '`/clone <source> [name] [key=value…]`: source is an inventory path (`/DC0/vm/golden`) or a moref (`vm-42`).',
  '  Options: `ttl=<minutes>` lease, `folder=<path>`, `wait=ip`, `label.<key>=<value>`; any other `key=value` is guestinfo.',
  '`/clone status <job>`: where a clone is. `/clone destroy <job>`: power off and destroy it. `/clone help`: this text.',
].join('\n');

const MOREF = /^[a-z]+-\d+$/i;

const toSource = (text: string): CloneRequestInput['source'] =>
  text.startsWith('/') ? { path: text } : MOREF.test(text) ? { moref: text } : { name: text };

/**
 * Parses the text after `/clone`. Pure; the clone request is checked against the API schema by the caller.
 * `key=value` options: `ttl`, `folder`, `wait` map to request fields, `label.<k>` to labels, the rest to guestinfo.
 */
export const parseSlackCommand = (text: string): SlackCommand => {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (!first || first === 'help') return { kind: 'help' };
  if (first === 'status' || first === 'destroy') {
    const [jobId, ...extra] = rest;
    if (!jobId || extra.length > 0) return { kind: 'invalid', problem: `usage: /clone ${first} <job id>` };
    if (!isJobId(jobId)) return { kind: 'invalid', problem: `\`${jobId.slice(0, 80)}\` is not a job id` };
    return { kind: first, jobId };
  }
  const request: Extract<SlackCommand, { kind: 'clone' }>['request'] = { source: toSource(first), labels: {} };
  const guestinfo: Record<string, string> = {};
  for (const word of rest) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      if (request.name !== undefined) return { kind: 'invalid', problem: `unexpected "${word}": give key=value` };
      request.name = word;
      continue;
    }
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    // The API refuses this key everywhere (an assignment would change the map's prototype and drop the value).
    if (key === '__proto__' || key === 'label.__proto__')
      return { kind: 'invalid', problem: '"__proto__" is not allowed as a key' };
    if (key === 'ttl') request.ttlMinutes = Number(value);
    else if (key === 'folder') request.folder = value;
    else if (key === 'wait') request.waitFor = value as 'task' | 'ip';
    else if (key.startsWith('label.')) request.labels[key.slice('label.'.length)] = value;
    else guestinfo[key] = value;
  }
  if (Object.keys(guestinfo).length > 0) request.guestinfo = guestinfo;
  return { kind: 'clone', request };
};
