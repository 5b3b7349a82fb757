import { type Principal, slackPrincipal } from '../../access/model/principal.js';
import { type CloneJob, toJobView } from '../../clones/model/clone-job.js';
import { CallerCloneRequestSchema, type CloneRequest } from '../../clones/model/clone-request.js';
import type { SubmissionKey } from '../../clones/model/submission-key.js';
import { isAppError } from '../../errors/app-error.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import { parseSlackCommand, SLACK_HELP, type SlackReply, type SlashCommand } from '../model/slack-command.js';
import { jobStatusText, SLACK_LABELS } from '../model/slack-messages.js';

/** The use cases, each called for the Slack user (`slack:<team>/<user>`) and checked by the policy like any caller. */
export type SlackCommandDeps = {
  /** makeSubmitOnce: a `/clone` is submitted once per replay key. */
  submit: (request: CloneRequest, principal: Principal, keys: readonly SubmissionKey[]) => Promise<CloneJob[]>;
  getClone: (jobId: string, principal: Principal) => Promise<CloneJob>;
  requestDestroy: (jobId: string, principal: Principal) => Promise<CloneJob>;
};

/** Refusals a Slack user can act on: shown in the reply rather than failing the command. */
const REFUSALS = new Set(['ACCESS_DENIED', 'QUOTA_EXCEEDED']);
const refusalText = (err: unknown): string | undefined => {
  if (!isAppError(err) || !REFUSALS.has(err.code)) return undefined;
  const details = 'issues' in err ? (err.issues as Array<{ field: string; message: string }>) : [];
  return `Not allowed: ${err.message}${details.map((d) => ` (${d.field})`).join('')}`;
};

const reply = (text: string): SlackReply => ({ response_type: 'ephemeral', text });

/**
 * Runs one `/clone` command and answers at once (Slack wants an answer within 3 s; a submit is two writes).
 * Clones carry the Slack team, user, channel and `response_url` as labels so the Slack notifier can post the
 * outcome. The user acts as `slack:<team>/<user>`: the policy decides what they may clone, see and destroy, and
 * `status` and `destroy` only see clones made from the same Slack team (others read as unknown). Labels of other
 * integrations (`github.*`) or of the service (`instaclone.*`) are refused.
 * Never rejects for a user mistake or a refusal (the answer says what to fix); rejects on infrastructure errors.
 */
export const makeHandleSlackCommand = ({ submit, getClone, requestDestroy }: SlackCommandDeps) => {
  const ownJob = async (jobId: string, teamId: string, principal: Principal): Promise<CloneJob | undefined> => {
    try {
      const job = await getClone(jobId, principal);
      return job.request.labels?.[SLACK_LABELS.team] === teamId ? job : undefined;
    } catch (err) {
      if (isAppError(err) && err.code === 'JOB_NOT_FOUND') return undefined;
      throw err;
    }
  };

  const run = async (command: SlashCommand, principal: Principal): Promise<SlackReply> => {
    const parsed = parseSlackCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        return reply(SLACK_HELP);
      case 'invalid':
        return reply(`${parsed.problem}\n${SLACK_HELP}`);
      case 'status': {
        const job = await ownJob(parsed.jobId, command.teamId, principal);
        return reply(
          job ? jobStatusText(toJobView(job)) : `No clone job \`${parsed.jobId}\` made from this workspace.`,
        );
      }
      case 'destroy': {
        if (!(await ownJob(parsed.jobId, command.teamId, principal))) {
          return reply(`No clone job \`${parsed.jobId}\` made from this workspace.`);
        }
        const job = await requestDestroy(parsed.jobId, principal);
        return reply(`Destroying: ${jobStatusText(toJobView(job))}`);
      }
      case 'clone': {
        const result = CallerCloneRequestSchema.safeParse({
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
        const [job] = await submit(result.data, principal, command.replayKey ? [command.replayKey] : []);
        return reply(
          `Cloning ${parsed.request.source.path ?? parsed.request.source.moref ?? parsed.request.source.name}: job \`${job?.jobId}\`. I will post here when it is up.`,
        );
      }
      default:
        return parsed satisfies never;
    }
  };

  return async (command: SlashCommand): Promise<SlackReply> => {
    try {
      return await run(command, slackPrincipal(command.teamId, command.userId));
    } catch (err) {
      const refusal = refusalText(err);
      if (refusal === undefined) throw err;
      return reply(refusal);
    }
  };
};
