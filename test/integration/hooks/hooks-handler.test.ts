import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { sign } from '@octokit/webhooks-methods';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDeps, configSchema, makeHandler } from '#functions/hooks/make-handler';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { type SqsEmulator, startSqsEmulator } from '#local/emulators/sqs-emulator';
import { makeLambdaContext } from '#local/lambda/lambda-context';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { loadConfig } from '#shared/config/load-config';
import { signTimestamped } from '#shared/http/hmac-signatures';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const SECRETS = {
  generic: 'generic-secret-0123456789',
  github: 'github-secret-0123456789',
  slack: 'slack-secret-0123456789',
};
const fixtures = join(import.meta.dirname, '../../fixtures');
const githubFixture = (name: string) => readFileSync(join(fixtures, 'github', `${name}.json`), 'utf8');
const slackFixture = (name: string) => readFileSync(join(fixtures, 'slack', `${name}.form`), 'utf8');

let dynamo: DynamoDbEmulator;
let sqs: SqsEmulator;
let handler: Handler;
let jobs: DynamoDbJobRepository;

const invoke = (routeKey: string, body: string, headers: Record<string, string>, base64 = false) =>
  handler(
    {
      version: '2.0',
      routeKey,
      rawPath: routeKey.split(' ')[1] ?? '/',
      rawQueryString: '',
      headers,
      body: base64 ? Buffer.from(body).toString('base64') : body,
      isBase64Encoded: base64,
      requestContext: { http: { method: 'POST' } } as APIGatewayProxyEventV2['requestContext'],
    },
    makeLambdaContext({ functionName: 'hooks', timeoutMs: 10_000 }),
  );

const queued = async (): Promise<number> => {
  const { Attributes } = await sqs
    .client()
    .send(new GetQueueAttributesCommand({ QueueUrl: sqs.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
};

const genericHeaders = (body: string, at = new Date()) => ({
  'content-type': 'application/json',
  ...signTimestamped(SECRETS.generic, body, at),
});

const githubHeaders = async (event: string, delivery: string, body: string) => ({
  'content-type': 'application/json',
  'x-github-event': event,
  'x-github-delivery': delivery,
  'x-hub-signature-256': await sign(SECRETS.github, body),
});

const slackHeaders = (body: string, at = new Date()) => {
  const ts = String(Math.floor(at.getTime() / 1000));
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${createHmac('sha256', SECRETS.slack).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
};

beforeAll(async () => {
  dynamo = await startDynamoDbEmulator();
  sqs = await startSqsEmulator();
  const env = {
    AWS_REGION: dynamo.region,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    JOBS_TABLE_NAME: dynamo.tableName,
    CLONE_QUEUE_URL: sqs.queueUrl,
    GENERIC_HOOK_SECRET: SECRETS.generic,
    GITHUB_WEBHOOK_SECRET: SECRETS.github,
    SLACK_SIGNING_SECRET: SECRETS.slack,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    GITHUB_RUNNER_POOLS: JSON.stringify({
      version: '1',
      pools: [
        {
          name: 'linux',
          labels: ['self-hosted', 'linux', 'x64'],
          source: { path: '/DC0/vm/DC0_H0_VM0' },
          organizations: ['octo-org'],
        },
      ],
    }),
  };
  handler = makeHandler(buildDeps(loadConfig(configSchema, env))) as unknown as Handler;
  jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
});

afterAll(async () => {
  await sqs?.close();
  await dynamo?.close();
});

beforeEach(async () => {
  await sqs.client().send(new PurgeQueueCommand({ QueueUrl: sqs.queueUrl }));
});

describe('Hooks function: generic signed trigger', () => {
  const body = JSON.stringify({ source: { path: '/DC0/vm/DC0_H0_VM0' }, labels: { ci: 'jenkins' } });

  it('queues a clone for a correctly signed request and answers 202 with the job', async () => {
    // Act
    const res = await invoke('POST /v1/hooks/generic', body, genericHeaders(body));
    // Assess
    expect(res.statusCode).toBe(202);
    const job = JSON.parse(res.body ?? '{}') as { jobId: string; status: string };
    expect(job.status).toBe('QUEUED');
    expect(await jobs.get(job.jobId)).toMatchObject({ request: { labels: { ci: 'jenkins' } } });
    expect(await queued()).toBe(1);
  });

  it('verifies the signature over the decoded bytes of a base64-encoded body', async () => {
    // Act
    const res = await invoke('POST /v1/hooks/generic', body, genericHeaders(body), true);
    // Assess
    expect(res.statusCode).toBe(202);
  });

  it.each([
    [
      'a wrong signature',
      () => ({ ...genericHeaders(body), 'x-instaclone-signature': `sha256=${'0'.repeat(64)}` }),
      body,
      401,
    ],
    ['a stale timestamp', () => genericHeaders(body, new Date(Date.now() - 6 * 60_000)), body, 401],
    ['no signature', () => ({ 'content-type': 'application/json' }), body, 401],
    ['a signed body that is not JSON', () => genericHeaders('{"source":'), '{"source":', 400],
    ['an oversize body', () => genericHeaders('x'.repeat(300_000)), 'x'.repeat(300_000), 413],
  ])('refuses %s and queues nothing', async (_label, headers, sent, status) => {
    // Act
    const res = await invoke('POST /v1/hooks/generic', sent, headers());
    // Assess
    expect(res.statusCode).toBe(status);
    expect(await queued()).toBe(0);
  });
});

describe('Hooks function: GitHub workflow_job', () => {
  it('answers a ping with 200', async () => {
    // Prepare
    const body = githubFixture('ping');
    // Act
    const res = await invoke('POST /v1/hooks/github', body, await githubHeaders('ping', 'ping-1', body));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '')).toEqual({ outcome: 'pong' });
  });

  it('clones one runner for a queued job, however often the delivery comes', async () => {
    // Prepare
    const body = githubFixture('workflow-job-queued');
    const headers = await githubHeaders('workflow_job', '72d3162e-cc78-11e3-81ab-4c9367dc0958', body);
    // Act
    const first = await invoke('POST /v1/hooks/github', body, headers);
    const again = await invoke('POST /v1/hooks/github', body, headers);
    // Assess
    expect(JSON.parse(first.body ?? '')).toEqual({
      outcome: 'submitted',
      jobId: 'github-job-2832853555',
      pool: 'linux',
    });
    expect(JSON.parse(again.body ?? '')).toEqual({ outcome: 'duplicate' });
    expect(await queued()).toBe(1);
    expect(await jobs.get('github-job-2832853555')).toMatchObject({ status: 'QUEUED' });
  });

  // Uses the runner job the previous test queued (tests in a file run in order).
  it('asks to destroy the runner clone when its job completes', async () => {
    // Prepare
    const body = githubFixture('workflow-job-completed');
    // Act
    const res = await invoke('POST /v1/hooks/github', body, await githubHeaders('workflow_job', 'done-1', body));
    // Assess
    expect(JSON.parse(res.body ?? '')).toEqual({ outcome: 'destroy-requested', jobId: 'github-job-2832853555' });
    expect(await jobs.get('github-job-2832853555')).toMatchObject({ destroyRequested: true });
  });

  it('refuses a wrong signature with 401 and a signed non-JSON body with 400, queueing nothing', async () => {
    // Prepare
    const body = githubFixture('workflow-job-queued').replace('2832853555', '1');
    const wrong = {
      ...(await githubHeaders('workflow_job', 'w-1', body)),
      'x-hub-signature-256': `sha256=${'a'.repeat(64)}`,
    };
    const form = 'payload=%7B%7D';
    // Act
    const unsigned = await invoke('POST /v1/hooks/github', body, wrong);
    const notJson = await invoke('POST /v1/hooks/github', form, await githubHeaders('workflow_job', 'w-2', form));
    // Assess
    expect(unsigned.statusCode).toBe(401);
    expect(notJson.statusCode).toBe(400);
    expect(await queued()).toBe(0);
  });
});

describe('Hooks function: Slack /clone', () => {
  it('queues a clone from a signed slash command and answers ephemerally', async () => {
    // Prepare
    const body = slackFixture('clone');
    // Act
    const res = await invoke('POST /v1/chat/slack', body, slackHeaders(body));
    // Assess
    expect(res.statusCode).toBe(200);
    const reply = JSON.parse(res.body ?? '') as { response_type: string; text: string };
    expect(reply.response_type).toBe('ephemeral');
    const jobId = reply.text.match(/job `([^`]+)`/)?.[1] ?? '';
    expect(await jobs.get(jobId)).toMatchObject({
      vmName: 'ci-box',
      request: {
        ttlMinutes: 30,
        labels: { team: 'qa', 'slack.response-url': 'https://hooks.slack.com/commands/1234/5678' },
      },
    });
    expect(await queued()).toBe(1);
  });

  it('refuses a slash command signed more than five minutes ago', async () => {
    // Prepare
    const body = slackFixture('help');
    // Act
    const res = await invoke('POST /v1/chat/slack', body, slackHeaders(body, new Date(Date.now() - 301_000)));
    // Assess
    expect(res.statusCode).toBe(401);
  });
});
