import type { CloneJobView } from '../../clones/model/clone-job.js';
import type { CloneEventDetail } from '../../events/clone-events.js';

/** Labels a chat-made clone carries; the Slack notifier reads them back from the completion event. */
export const SLACK_LABELS = {
  team: 'slack.team',
  user: 'slack.user',
  channel: 'slack.channel',
  responseUrl: 'slack.response-url',
} as const;

const sourceText = (source: { path?: string | undefined; moref?: string | undefined; name?: string | undefined }) =>
  source.path ?? source.moref ?? source.name ?? 'the source';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Plain words for the usual vCenter faults; the raw fault is kept in brackets for whoever digs further. */
const FAULT_WORDS: Record<string, string> = {
  InvalidPowerState: 'the source VM is not powered on',
  ManagedObjectNotFound: 'the source VM does not exist (any more)',
  DuplicateName: 'a VM of that name exists already',
  InvalidArgument: 'vCenter refused the clone settings',
  NoPermission: 'the service account may not clone this VM',
  InsufficientResourcesFault: 'the host lacks the resources for another clone',
};

export const faultInWords = (error: { code: string; fault?: string | undefined; message: string }): string => {
  const words = error.fault ? FAULT_WORDS[error.fault] : undefined;
  return words ? `${words} (${error.fault})` : `${error.message}${error.fault ? ` (${error.fault})` : ''}`;
};

/** The chat message announcing a completion event, or undefined for events not worth a message. */
export const outcomeMessage = (detailType: string, detail: CloneEventDetail): string | undefined => {
  const name = detail.vm?.name ?? detail.vmName;
  switch (detailType) {
    case 'Clone Succeeded':
      return `:white_check_mark: Clone \`${name}\` of ${sourceText(detail.source)} is up (${detail.vm?.moref ?? '?'}${
        detail.vm?.ipAddress ? `, IP ${detail.vm.ipAddress}` : ''
      }) in ${seconds(detail.durationMs)}. Job \`${detail.jobId}\`.`;
    case 'Clone Ready':
      // Published together with Clone Succeeded (waitFor: ip), which already carries the IP.
      return undefined;
    case 'Clone Failed':
      return `:x: Clone of ${sourceText(detail.source)} failed: ${detail.error ? faultInWords(detail.error) : 'unknown error'}. Job \`${detail.jobId}\`.`;
    case 'Clone Destroyed':
      return `:wastebasket: Clone \`${name}\` was destroyed. Job \`${detail.jobId}\`.`;
    default:
      return undefined;
  }
};

/** One line about a job, for `/clone status`. */
export const jobStatusText = (job: CloneJobView): string => {
  const vm = job.vm
    ? ` VM \`${job.vm.name}\` (${job.vm.moref}${job.vm.ipAddress ? `, IP ${job.vm.ipAddress}` : ''}).`
    : '';
  const error = job.error ? ` ${faultInWords(job.error)}.` : '';
  return `Job \`${job.jobId}\` is ${job.status}.${vm}${error}`;
};
