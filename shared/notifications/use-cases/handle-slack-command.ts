import { type CloneJob, toJobView } from '../../clones/model/clone-job.js';
import { type CloneRequest, CloneRequestSchema } from '../../clones/model/clone-request.js';
import type { SubmissionKey } from '../../clones/model/submission-key.js';
import { isAppError } from '../../errors/app-error.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import { parseSlackCommand, SLACK_HELP, type SlackReply, type SlashCommand } from '../model/slack-command.js';
import { jobStatusText, SLACK_LABELS } from '../model/slack-messages.js';

export type SlackCommandDeps = {
  /** makeSubmitOnce: a `/clone` is submitted once per replay key. */
  submit: (request: CloneRequest, keys: readonly SubmissionKey[]) => Promise<CloneJob[]>;
  getClone: (jobId: string) => Promise<CloneJob>;
  requestDestroy: (jobId: string) => Promise<CloneJob>;
};

const reply = (text: string): SlackReply => ({ response_type: 'ephemeral', text });

/**
 * Runs one `/clone` command and answers at once (Slack wants an answer within 3 s; a submit is two writes).
 * Clones carry the Slack team, user, channel and `response_url` as labels so the Slack notifier can post the
 * outcome. `status` and `destroy` only see clones made from the same Slack team (others read as unknown).
 * Never rejects for a user mistake (the answer says what to fix); rejects on infrastructure errors.
 */
export const makeHandleSlackCommand = ({ submit, getClone, requestDestroy }: SlackCommandDeps) => {
  const ownJob = async (jobId: string, teamId: string): Promise<CloneJob | undefined> => {
    try {
      const job = await getClone(jobId);
      return job.request.labels?.[SLACK_LABELS.team] === teamId ? job : undefined;
    } catch (err) {
      if (isAppError(err) && err.code === 'JOB_NOT_FOUND') return undefined;
      throw err;
    }
  };

  return async (command: SlashCommand): Promise<SlackReply> => {
    const parsed = parseSlackCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        return reply(SLACK_HELP);
      case 'invalid':
        return reply(`${parsed.problem}\n${SLACK_HELP}`);
      case 'status': {
        const job = await ownJob(parsed.jobId, command.teamId);
        return reply(
          job ? jobStatusText(toJobView(job)) : `No clone job \`${parsed.jobId}\` made from this workspace.`,
        );
      }
      case 'destroy': {
        if (!(await ownJob(parsed.jobId, command.teamId))) {
          return reply(`No clone job \`${parsed.jobId}\` made from this workspace.`);
        }
        const job = await requestDestroy(parsed.jobId);
        return reply(`Destroying: ${jobStatusText(toJobView(job))}`);
      }
      case 'clone': {
        const result = CloneRequestSchema.safeParse({
          ...parsed.request,
          labels: {
            ...parsed.request.labels,
            [SLACK_LABELS.team]: command.teamId,
            [SLACK_LABELS.user]: command.userId,
            [SLACK_LABELS.channel]: command.channelId,
            [SLACK_LABELS.responseUrl]: command.responseUrl,
          },
        });
        if (!result.success) {
          const problems = toFieldIssues(result.error).map((i) => `${i.field}: ${i.message}`);
          return reply(`Cannot clone: ${problems.join('; ')}\n${SLACK_HELP}`);
        }
        const [job] = await submit(result.data, command.replayKey ? [command.replayKey] : []);
        return reply(
          `Cloning ${parsed.request.source.path ?? parsed.request.source.moref ?? parsed.request.source.name}: job \`${job?.jobId}\`. I will post here when it is up.`,
        );
      }
      default:
        return parsed satisfies never;
    }
  };
};
