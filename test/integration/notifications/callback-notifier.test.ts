import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps, configSchema, makeHandler } from '#functions/callback-notifier/make-handler';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { type EventBus, startEventBus } from '#local/emulators/event-bus';
import { makeLambdaContext } from '#local/lambda/lambda-context';
import { silentLogger } from '#local/local-logger';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { loadConfig } from '#shared/config/load-config';
import { cloneEventsFor, EVENT_SOURCE } from '#shared/events/clone-events';
import { EVENT_RULES } from '#shared/events/event-rules';
import { verifyTimestamped } from '#shared/http/hmac-signatures';
import type { NotifyCallbackResult } from '#shared/notifications/use-cases/notify-callback';
import { SLOW_HEAD, startTricklingReceiver } from '#test/support/trickling-receiver';
import { type Reply, startLoopbackServer } from '../../support/loopback-server.js';

type Handler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<NotifyCallbackResult>;

const SECRET = 'callback-signing-secret-0123';
let receiver: Awaited<ReturnType<typeof startLoopbackServer>>;
let bus: EventBus;
let dynamo: DynamoDbEmulator;
let jobs: DynamoDbJobRepository;
let answers: Reply[] = [];
const results: NotifyCallbackResult[] = [];
let env: Record<string, string>;

const succeededJob = (callbackUrl: string, jobId = 'job-callback-1'): CloneJob => ({
  jobId,
  status: 'SUCCEEDED',
  version: 3,
  request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/DC0_H0_VM0' }, callbackUrl, labels: { ci: 'x' } }),
  vmName: `instaclone-${jobId}`,
  vm: { moref: 'vm-1001', name: `instaclone-${jobId}`, nics: [] },
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
  // `/down/…` is a receiver that never recovers; elsewhere the test scripts the answers by request index.
  receiver = await startLoopbackServer((req, n) =>
    req.url.startsWith('/down/') ? { status: 500 } : (answers[n] ?? { status: 200 }),
  );
  dynamo = await startDynamoDbEmulator();
  jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
  env = {
    AWS_REGION: dynamo.region,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    JOBS_TABLE_NAME: dynamo.tableName,
    CALLBACK_SIGNING_SECRET: SECRET,
    CALLBACK_ALLOW_INSECURE_HTTP: 'true',
    CALLBACK_ALLOW_PRIVATE_ADDRESSES: 'true',
    CALLBACK_MAX_ATTEMPTS: '3',
    CALLBACK_TIMEOUT_MS: '500',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  const config = loadConfig(configSchema, env);
  const handler = makeHandler(buildDeps(config, { dynamo: dynamo.client() })) as unknown as Handler;
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
  await dynamo?.close();
});

describe('Callback notifier on the bus', () => {
  it('posts a signed Clone Succeeded to the callbackUrl the rule routed, retrying a 500, and records it', async () => {
    // Prepare
    answers = [{ status: 500 }, { status: 202 }];
    const job = succeededJob(`${receiver.url}/ci/hook`);
    await jobs.create(job);
    // Act
    await publish(job);
    // Assess
    expect(await jobs.get(job.jobId)).toEqual({
      ...job,
      callbacks: {
        succeeded: {
          state: 'delivered',
          url: `${receiver.url}/ci/hook`,
          attempts: 2,
          status: 202,
          at: expect.any(String),
          deliveryId: expect.stringMatching(/:SUCCEEDED$/),
        },
      },
    });
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

  it('gives up after the attempt bound on a receiver that keeps answering 500, and records the failure', async () => {
    // Prepare
    const job = succeededJob(`${receiver.url}/down/hook`, 'job-callback-2');
    await jobs.create(job);
    const before = receiver.requests.length;
    // Act
    await publish(job);
    // Assess
    expect(receiver.requests.length - before).toBe(3);
    const stored = await jobs.get(job.jobId);
    expect(stored?.callbacks).toEqual({
      succeeded: {
        state: 'failed',
        url: `${receiver.url}/down/hook`,
        attempts: 3,
        status: 500,
        reason: 'answered 500',
        at: expect.any(String),
        deliveryId: expect.stringMatching(/:SUCCEEDED$/),
      },
    });
    expect(stored).toMatchObject({ version: job.version, updatedAt: job.updatedAt });
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

  it('ends an attempt on a receiver that trickles its answer a byte every 20 ms at the deadline, and records it', async () => {
    // Prepare
    const trickling = await startTricklingReceiver(SLOW_HEAD, 20);
    const job = succeededJob(`${trickling.url}/slow`, 'job-callback-trickle');
    await jobs.create(job);
    // Act
    await publish(job);
    await trickling.close();
    // Assess: three attempts of 500 ms each, not 10 s each
    expect((await jobs.get(job.jobId))?.callbacks?.succeeded).toMatchObject({
      state: 'failed',
      attempts: 3,
      reason: expect.stringContaining('no answer within 500 ms'),
    });
    expect(trickling.connections()).toBe(3);
  });

  it.each([
    ['IPv4-compatible', 'https://[::a00:1]/hook'],
    ['IPv4-mapped, hex', 'https://[::ffff:a9fe:a9fe]/hook'],
    ['6to4', 'https://[2002:a00:1::1]/hook'],
    ['Teredo', 'https://[2001:0:a00:1::a24b:2bdd]/hook'],
    ['NAT64', 'https://[64:ff9b::a9fe:a9fe]/hook'],
    ['local-use NAT64', 'https://[64:ff9b:1::a00:1]/hook'],
  ])(
    'refuses a callback to an IPv6 address that embeds a private IPv4 address (%s), never connecting',
    async (_form, url) => {
      // Prepare: the notifier as deployed, private addresses not allowed
      const guarded = makeHandler(
        buildDeps(loadConfig(configSchema, { ...env, CALLBACK_ALLOW_PRIVATE_ADDRESSES: 'false' }), {
          dynamo: dynamo.client(),
        }),
      ) as unknown as Handler;
      const job = succeededJob(url, `job-ssrf-${results.length}-${Date.now()}`);
      await jobs.create(job);
      const [event] = cloneEventsFor(job);
      // Act
      const result = await guarded(
        {
          version: '0',
          id: `evt-${job.jobId}`,
          'detail-type': event?.detailType ?? '',
          source: EVENT_SOURCE,
          account: '000000000000',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [],
          detail: event?.detail,
        },
        makeLambdaContext({ functionName: 'callback-notifier', timeoutMs: 30_000 }),
      );
      // Assess
      expect(result).toMatchObject({ notified: true, outcome: { state: 'refused', attempts: 0 } });
    },
  );
});
