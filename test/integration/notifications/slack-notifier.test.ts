import type { Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps, configSchema, makeHandler } from '#functions/slack-notifier/make-handler';
import { makeLambdaContext } from '#local/lambda/lambda-context';
import { loadConfig } from '#shared/config/load-config';
import type { NotifySlackResult } from '#shared/notifications/use-cases/notify-slack';
import { startLoopbackServer } from '../../support/loopback-server.js';

type Handler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<NotifySlackResult>;

let slack: Awaited<ReturnType<typeof startLoopbackServer>>;
let handler: Handler;

const event = (detailType: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) =>
  ({
    id: 'evt-1',
    'detail-type': detailType,
    source: 'instaclone',
    detail: {
      version: '1',
      jobId: 'job-slack-1',
      status: detailType === 'Clone Failed' ? 'FAILED' : 'SUCCEEDED',
      source: { path: '/DC0/vm/DC0_H0_VM0' },
      labels,
      vmName: 'ci-box',
      createdAt: '2026-11-25T12:00:00.000Z',
      at: '2026-11-25T12:00:01.200Z',
      durationMs: 1200,
      ...extra,
    },
  }) as unknown as EventBridgeEvent<string, unknown>;

const context = () => makeLambdaContext({ functionName: 'slack-notifier', timeoutMs: 10_000 });

beforeAll(async () => {
  slack = await startLoopbackServer(() => ({ status: 200, body: { ok: true } }));
  const env = {
    SLACK_RESPONSE_ORIGINS: slack.url,
    SLACK_ALLOW_INSECURE_HTTP: 'true',
    SLACK_ALLOW_PRIVATE_ADDRESSES: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  handler = makeHandler(buildDeps(loadConfig(configSchema, env))) as unknown as Handler;
});

afterAll(async () => slack?.close());

describe('Slack notifier', () => {
  it("posts the clone's name, moref, IP and time to the command's response_url", async () => {
    // Prepare
    const labels = { 'slack.response-url': `${slack.url}/commands/1/2`, 'slack.team': 'T1' };
    const vm = { moref: 'vm-1001', name: 'ci-box', nics: [], ipAddress: '10.0.0.7' };
    // Act
    const result = await handler(event('Clone Succeeded', labels, { vm }), context());
    // Assess
    expect(result).toEqual({ posted: true, jobId: 'job-slack-1', status: 200 });
    expect(JSON.parse(slack.requests.at(-1)?.body ?? '{}')).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: ':white_check_mark: Clone `ci-box` of /DC0/vm/DC0_H0_VM0 is up (vm-1001, IP 10.0.0.7) in 1.2 s. Job `job-slack-1`.',
    });
  });

  it('ignores clones not made from Slack', async () => {
    // Act
    const result = await handler(event('Clone Succeeded', {}), context());
    // Assess
    expect(result).toEqual({ posted: false, reason: 'not made from Slack' });
  });

  it('refuses a response_url outside the allowed origins (labels are caller-controlled)', async () => {
    // Act
    const attempt = handler(event('Clone Failed', { 'slack.response-url': 'https://attacker.example/x' }), context());
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'TARGET_REFUSED' });
  });
});
