import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventBus, startEventBus } from '#local/emulators/event-bus';
import { makeLambdaContext } from '#local/lambda/lambda-context';
import { silentLogger } from '#local/local-logger';
import type { CloneJob } from '#shared/domain/clone-job';
import { CloneRequestSchema } from '#shared/domain/clone-request';
import { cloneEventsFor, EVENT_SOURCE } from '#shared/events/clone-events';
import { EVENT_RULES } from '#shared/events/event-rules';
import { verifyTimestamped } from '#shared/integrations/hmac-signatures';
import type { NotifyCallbackResult } from '#shared/integrations/notify-callback';
import { type Reply, startLoopbackServer } from '../../unit/integrations/loopback-server.js';

type Handler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<NotifyCallbackResult>;

const SECRET = 'callback-signing-secret-0123';
let receiver: Awaited<ReturnType<typeof startLoopbackServer>>;
let bus: EventBus;
let answers: Reply[] = [];
const results: NotifyCallbackResult[] = [];

const succeededJob = (callbackUrl: string): CloneJob => ({
  jobId: 'job-callback-1',
  status: 'SUCCEEDED',
  version: 3,
  request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/DC0_H0_VM0' }, callbackUrl, labels: { ci: 'x' } }),
  vmName: 'instaclone-job-callback-1',
  vm: { moref: 'vm-1001', name: 'instaclone-job-callback-1', nics: [] },
  createdAt: '2026-11-25T12:00:00.000Z',
  updatedAt: '2026-11-25T12:00:01.000Z',
});

const publish = async (job: CloneJob) => {
  const [event] = cloneEventsFor(job);
  await bus.client().send(
    new PutEventsCommand({
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: event?.detailType,
          Detail: JSON.stringify(event?.detail),
          EventBusName: 'instaclone',
        },
      ],
    }),
  );
};

beforeAll(async () => {
  receiver = await startLoopbackServer((_req, n) => answers[n] ?? { status: 200 });
  Object.assign(process.env, {
    CALLBACK_SIGNING_SECRET: SECRET,
    CALLBACK_ALLOW_INSECURE_HTTP: 'true',
    CALLBACK_ALLOW_PRIVATE_ADDRESSES: 'true',
    CALLBACK_MAX_ATTEMPTS: '3',
    CALLBACK_TIMEOUT_MS: '500',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const handler = (await import('#functions/callback-notifier/handler')).handler as unknown as Handler;
  bus = await startEventBus({
    busName: 'instaclone',
    logger: silentLogger,
    rules: [
      {
        name: 'callback-wanted',
        pattern: EVENT_RULES.callbackWanted,
        target: async (event) => {
          results.push(
            await handler(event, makeLambdaContext({ functionName: 'callback-notifier', timeoutMs: 30_000 })),
          );
        },
      },
    ],
  });
});

afterAll(async () => {
  await bus?.close();
  await receiver?.close();
});

describe('Callback notifier on the bus', () => {
  it('posts a signed Clone Succeeded to the callbackUrl the rule routed, retrying a 500', async () => {
    // Prepare
    answers = [{ status: 500 }, { status: 202 }];
    // Act
    await publish(succeededJob(`${receiver.url}/ci/hook`));
    // Assess
    expect(results.at(-1)).toMatchObject({
      notified: true,
      jobId: 'job-callback-1',
      outcome: { state: 'delivered', attempts: 2, status: 202 },
    });
    const last = receiver.requests.at(-1);
    expect(last?.url).toBe('/ci/hook');
    const body = JSON.parse(last?.body ?? '{}') as { type: string; job: { jobId: string; vm: { moref: string } } };
    expect(body).toMatchObject({
      version: '1',
      type: 'Clone Succeeded',
      job: { jobId: 'job-callback-1', vm: { moref: 'vm-1001' } },
    });
    expect(() =>
      verifyTimestamped(
        SECRET,
        last?.body ?? '',
        {
          signature: String(last?.headers['x-instaclone-signature']),
          timestamp: String(last?.headers['x-instaclone-timestamp']),
        },
        new Date(),
      ),
    ).not.toThrow();
  });

  it('does not route completion events of jobs without a callbackUrl to the notifier', async () => {
    // Prepare
    const before = results.length;
    const job = succeededJob('https://example.com');
    delete job.request.callbackUrl;
    // Act
    await publish(job);
    // Assess
    expect(results).toHaveLength(before);
  });
});
