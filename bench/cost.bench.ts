/**
 * `cost`: what one clone costs in AWS requests, and at list prices per 1,000 clones (`bench/aws-prices.ts`). The
 * stack runs in this process with a meter on every SDK client it builds and every function it invokes
 * (`local/metering/aws-meter.ts`: API Gateway requests, Lambda invocations and wall time, DynamoDB read units as the
 * emulator reports them and write units of the item and index entries each write touched, SQS requests, EventBridge
 * events) and a Secrets Manager stand-in that the functions read their secrets from through the deployed
 * Powertools provider (`secretsManager: true`), so each figure is counted, not estimated. Each scenario is a clone's
 * whole life, create to destroyed, `BENCH_COST_CLONES` times (default 50) at concurrency 4 after a warm-up:
 * - plain: `POST /v1/clones`, `Clone Succeeded`, `DELETE /v1/clones/{id}`, `Clone Destroyed`;
 * - warm pool: `POST /v1/pools/bench/claim` of a ready spare, release, the spare destroyed and replaced;
 * - GitHub runner: a signed `workflow_job` `queued` webhook, the runner clone, the `completed` webhook, destroyed.
 * Lambda GB-seconds are the wall time measured here at the deployed memory size (512 MB, ARM); the worker's time
 * includes waiting for vCenter, here the simulator's 1 s InstantClone task. Empty SQS polls (the event source's
 * idle cost, by the hour) and the schedules' passes (reconciler, reaper, pool scaler, by the hour) are printed apart.
 * Goal: under $0.05 per 1,000 plain clones, vCenter excluded.
 *
 * Usage: `npm run bench cost` (env BENCH_COST_CLONES, default 50; BENCH_COST_SCENARIOS, default
 * `plain,warm,runner`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@octokit/webhooks-methods';
import { silentLogger } from '#local/local-logger';
import { type AwsUsage, makeAwsMeter } from '#local/metering/aws-meter';
import { startLocalStack } from '#local/stack';
import { SERVICE_MANIFEST } from '#shared/composition/service-manifest';
import { DEFAULT_FUNCTION_MEMORY_MB } from '#shared/config/resources';
import { runnerNameFor } from '#shared/runners/model/github-webhook';
import { startGithubStandIn } from '#test/support/github-stand-in';
import { AWS_PRICES } from './aws-prices.js';
import { BENCH_CLONE_REQUEST, submitClone } from './clone-api-client.js';
import { closedLoop } from './closed-loop.js';
import { watchCompletions } from './completion-waiter.js';
import { invokeFunction } from './invoke-function.js';
import { emit, machine } from './machine.js';

const clones = Number(process.env.BENCH_COST_CLONES ?? 50);
const wanted = (process.env.BENCH_COST_SCENARIOS ?? 'plain,warm,runner').split(',');
const CONCURRENCY = 4;
const WARMUP = 4;
const TASK_MS = 1_000;
const GOAL_PER_1000 = 0.05;

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
emit(machine());

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../test/fixtures/github/workflow-job-queued.json'), 'utf8'),
) as { workflow_job: Record<string, unknown> } & Record<string, unknown>;
const webhookSecret = randomBytes(24).toString('hex');
const github = await startGithubStandIn('BENCH-JIT-CONFIG');
const meter = makeAwsMeter();
const stack = await startLocalStack({
  meter,
  secretsManager: true,
  logger: silentLogger,
  logLevel: 'SILENT',
  maxConcurrency: 8,
  simulator: { taskDurationMs: TASK_MS },
  // The schedules run by the hour whatever the clones: measured apart below, kept out of the clones' figures.
  leaseCheckMs: 3_600_000,
  poolScaleMs: 3_600_000,
  integrations: {
    githubWebhookSecret: webhookSecret,
    ...github.app,
    runnerPools: JSON.stringify({
      version: '1',
      pools: [
        {
          name: 'linux',
          labels: ['self-hosted', 'linux', 'x64'],
          source: BENCH_CLONE_REQUEST.source,
          organizations: ['octo-org'],
        },
      ],
    }),
  },
});
const succeeded = watchCompletions(stack.bus, { detailTypes: ['Clone Succeeded', 'Clone Failed'] });
const destroyed = watchCompletions(stack.bus, { detailTypes: ['Clone Destroyed'] });

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
};

/** Waits until every message is handled and no function runs: what the last clone set off is counted too. */
const settle = async () => {
  for (let quiet = 0; quiet < 3; ) {
    await stack.idle();
    await sleep(300);
    const before = JSON.stringify(meter.total());
    await sleep(300);
    quiet = JSON.stringify(meter.total()) === before ? quiet + 1 : 0;
  }
};

const plainClone = async () => {
  const jobId = await submitClone(stack.apiUrl, stack.apiToken);
  const done = await succeeded.completion(jobId);
  if (done.detailType !== 'Clone Succeeded') throw new Error(`${jobId}: ${done.detailType}`);
  await api('DELETE', `/v1/clones/${jobId}`);
  await destroyed.completion(jobId);
};

let claimer = 0;
const warmClone = async () => {
  const claim = await api('POST', '/v1/pools/bench/claim', { claimedBy: `bench-${claimer++}` });
  const jobId = String((claim.clone as { jobId: string }).jobId);
  await succeeded.completion(jobId);
  await api('POST', '/v1/pools/bench/release', { jobId });
  await destroyed.completion(jobId);
};

let workflowJobId = 8_000_000_000;
const webhook = async (action: 'queued' | 'completed', id: number, ranOn?: string) => {
  const job = { ...fixture.workflow_job, id, status: action, ...(ranOn && { runner_name: runnerNameFor(ranOn) }) };
  const body = JSON.stringify({ ...fixture, action, workflow_job: job });
  const res = await fetch(`${stack.apiUrl}/v1/hooks/github`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'workflow_job',
      'x-github-delivery': randomUUID(),
      'x-github-hook-installation-target-type': 'organization',
      'x-hub-signature-256': await sign(webhookSecret, body),
    },
  });
  const answer = (await res.json()) as { outcome?: string; jobId?: string };
  if (!res.ok || !answer.jobId) throw new Error(`${action} webhook answered ${res.status} ${JSON.stringify(answer)}`);
  return answer.jobId;
};
const runnerClone = async () => {
  const id = workflowJobId++;
  const jobId = await webhook('queued', id);
  await succeeded.completion(jobId);
  await webhook('completed', id, jobId);
  await destroyed.completion(jobId);
};

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What `usage` comes to at list prices, by service, in dollars; `secretsCalls` are Secrets Manager's. */
const priceOf = (usage: AwsUsage, secretsCalls: number) => {
  const p = AWS_PRICES;
  const gbSeconds = (usage.ms / 1000) * (DEFAULT_FUNCTION_MEMORY_MB / 1024);
  const sqsRequests = Object.values(usage.sqs.requests).reduce((a, b) => a + b, 0) - usage.sqs.emptyReceives;
  const counts = {
    apiGatewayRequests: usage.apiGatewayRequests,
    lambdaInvocations: usage.invocations,
    lambdaGbSeconds: gbSeconds,
    dynamodbReadUnits: usage.dynamodb.readUnits,
    dynamodbWriteUnits: usage.dynamodb.writeUnits,
    sqsRequests,
    eventBridgeEvents: usage.eventBridge.events,
    secretsManagerCalls: secretsCalls,
  };
  const dollars = {
    apiGateway: counts.apiGatewayRequests * p.apiGatewayHttpRequest,
    lambda: counts.lambdaInvocations * p.lambdaRequest + gbSeconds * p.lambdaArmGbSecond,
    dynamodb: counts.dynamodbReadUnits * p.dynamodbReadUnit + counts.dynamodbWriteUnits * p.dynamodbWriteUnit,
    sqs: sqsRequests * p.sqsRequest,
    eventBridge: counts.eventBridgeEvents * p.eventBridgeEvent,
    secretsManager: secretsCalls * p.secretsManagerCall,
  };
  return { counts, dollars, total: Object.values(dollars).reduce((a, b) => a + b, 0) };
};

/** Per clone counts and dollars per 1,000 clones of `count` clones' usage. */
const perThousand = (usage: AwsUsage, count: number, secretsCalls: number) => {
  const { counts, dollars, total } = priceOf(usage, secretsCalls);
  return {
    perClone: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, round(v / count, 3)])),
    dollarsPer1000: {
      ...Object.fromEntries(Object.entries(dollars).map(([k, v]) => [k, round((v / count) * 1000, 5)])),
      total: round((total / count) * 1000, 4),
    },
  };
};

/** Runs `count` lives of one scenario after a warm-up and prints what they cost. */
const scenario = async (mode: string, life: () => Promise<void>, extra: Record<string, unknown> = {}) => {
  for (let i = 0; i < WARMUP; i++) await life();
  await settle();
  meter.reset();
  const secretsBefore = stack.secretsManager?.calls ?? 0;
  const run = await closedLoop(clones, CONCURRENCY, life);
  await settle();
  const usage = meter.total();
  const byFunction = Object.fromEntries(
    Object.entries(meter.usage())
      .filter(([, u]) => u.invocations > 0)
      .map(([name, u]) => [name, { invocations: u.invocations, ms: Math.round(u.ms) }]),
  );
  const cost = perThousand(usage, clones, (stack.secretsManager?.calls ?? 0) - secretsBefore);
  emit({
    kind: 'figure',
    bench: 'cost',
    mode,
    clones,
    failures: run.failures,
    simulatorTaskMs: TASK_MS,
    memoryMb: DEFAULT_FUNCTION_MEMORY_MB,
    prices: `${AWS_PRICES.region} list prices of ${AWS_PRICES.date} (bench/aws-prices.ts)`,
    ...cost,
    lambdaByFunction: byFunction,
    dynamodbRequestsPerClone: Object.fromEntries(
      Object.entries(usage.dynamodb.requests).map(([k, n]) => [k, Math.round((n / clones) * 100) / 100]),
    ),
    sqsRequestsPerClone: Object.fromEntries(
      Object.entries(usage.sqs.requests).map(([k, n]) => [k, Math.round((n / clones) * 100) / 100]),
    ),
    ...extra,
  });
  return { usage, cost };
};

/** One pass of each schedule on the idle stack, priced per month at its deployed rate: no clone adds to it. */
const schedules = async () => {
  const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
  const perMonth: Record<string, number> = {};
  for (const { target, everyMinutes } of SERVICE_MANIFEST.schedules) {
    await settle();
    meter.reset();
    await invokeFunction(stack, target, event);
    perMonth[target] = round(priceOf(meter.total(), 0).total * ((30 * 24 * 60) / everyMinutes), 4);
  }
  return perMonth;
};

try {
  const plain = wanted.includes('plain')
    ? await scenario('plain clone: POST, Succeeded, DELETE, Destroyed', plainClone)
    : undefined;
  if (wanted.includes('warm')) {
    await api('PUT', '/v1/pools/bench', { source: BENCH_CLONE_REQUEST.source, spare: CONCURRENCY, max: 100 });
    await invokeFunction(stack, 'pool-scaler', {
      'detail-type': 'Pool Scale Requested',
      detail: { version: '1', pool: 'bench' },
    });
    await settle();
    await scenario('warm pool: claim a ready spare, release, destroyed and replaced', warmClone, {
      spare: CONCURRENCY,
    });
    await api('DELETE', '/v1/pools/bench');
    await settle();
  }
  if (wanted.includes('runner'))
    await scenario('GitHub runner: queued webhook, runner clone, completed webhook, destroyed', runnerClone);
  emit({
    kind: 'figure',
    bench: 'cost',
    mode: 'schedules on an idle stack, dollars per month at their deployed rates (service manifest)',
    dollarsPerMonth: await schedules(),
  });
  const total = plain?.cost.dollarsPer1000.total ?? Number.POSITIVE_INFINITY;
  emit({
    kind: 'figure',
    bench: 'cost',
    mode: 'plain clones per 1,000, vCenter excluded',
    dollarsPer1000: total,
    goal: { dollarsPer1000: `< ${GOAL_PER_1000}` },
    met: total < GOAL_PER_1000,
  });
} finally {
  await stack.close();
  await github.close();
}
