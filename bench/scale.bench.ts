/**
 * `scale`: what the service's periodic and per-request work costs as the job table's history grows. One stack per
 * N, all in this process at once (each on its own temporary data folder; the simulator with 10-minute tasks so active
 * clones stay active; the vCenter cap at 8), each with the same active load: a warm pool `bench` (spare 4) and 12
 * plain clones, all 16 RUNNING (the worker looks at them again every few seconds). Then N finished jobs (copies of a
 * real stored job: destroyed, failed, a few leased clones alive, one in ten destroyed pool clones) are written
 * straight into each table, and it measures, the N taking turns pass by pass so load on a shared machine hits all:
 * - the reconciler: items read, read units, wall time (median of 21 passes);
 * - one scaling pass of pool `bench`: the same;
 * - `GET /v1/clones?status=RUNNING`: the same (median of 31);
 * - `POST /v1/clones`: p99 over 1,000 requests at concurrency 4, in 10 rounds (and items read per request), and
 *   beside it a plain 1 KB PutItem straight to the emulator (200 one at a time): dynalite's own share.
 * Items read come from an SDK middleware on each stack's DynamoDB client, booked to the function that made them
 * (`local/metering/aws-meter.ts`), so the worker's own reads meanwhile do not count.
 * Goal: at the largest N every figure within 1.2x of N = 0, items read equal.
 *
 * Usage: `npm run bench scale` (env BENCH_SCALE_SIZES, default `0,100000,250000`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { silentLogger } from '#local/local-logger';
import { makeAwsMeter } from '#local/metering/aws-meter';
import { type LocalStack, startLocalStack } from '#local/stack';
import type { FunctionName } from '#shared/composition/service-functions';
import { BENCH_CLONE_REQUEST, submitClone } from './clone-api-client.js';
import { readStoredJob, seedFinishedJobs } from './finished-job-seeder.js';
import { invokeFunction } from './invoke-function.js';
import { percentile, summarise } from './latency-summary.js';
import { emit, machine } from './machine.js';

const sizes = (process.env.BENCH_SCALE_SIZES ?? '0,100000,250000').split(',').map(Number);
const POOL = 'bench';
const SPARE = 4;
const PLAIN_CLONES = 12;
const CAP = 8;
const PASSES = 21;
const LISTINGS = 31;
const POSTS = 1000;
const POST_CONCURRENCY = 4;
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
const SCALE_POOL = { source: 'bench', 'detail-type': 'Pool Scale Requested', detail: { version: '1', pool: POOL } };

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
emit(machine());

type Pass = { itemsRead: number; readUnits: number; ms: number };
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const round = (n: number) => Math.round(n * 10) / 10;
/** Median time, and the items read (the same on every pass, or the figure shows the spread). */
const summary = (passes: Pass[]) => {
  const items = [...new Set(passes.map((p) => p.itemsRead))];
  return {
    itemsRead: items.length === 1 ? items[0] : items,
    readUnits: median(passes.map((p) => p.readUnits)),
    ms: round(median(passes.map((p) => p.ms))),
  };
};

const note = (what: string) => process.stderr.write(`${new Date().toISOString()} ${what}\n`);

/** One N: its own stack (on its own data folder, metered) with the active load and N finished jobs in place. */
async function prepare(n: number) {
  const meter = makeAwsMeter();
  const apiToken = randomBytes(24).toString('base64url');
  // On disk: dynalite's LevelDB then holds the jobs outside this process's heap, whose collector would otherwise
  // pause the API for the emulator's sake (DynamoDB is not in the function's process on AWS).
  const dataDir = await mkdtemp(join(tmpdir(), 'instaclone-scale-'));
  const stack: LocalStack = await startLocalStack({
    dataDir,
    printEvent: () => {},
    apiToken,
    meter,
    logger: silentLogger,
    logLevel: 'SILENT',
    maxConcurrency: CAP,
    workerTimeoutMs: 10_000,
    simulator: { taskDurationMs: 600_000 },
    leaseCheckMs: 3_600_000,
    poolScaleMs: 3_600_000,
  });
  const close = async () => {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  try {
    const pool = await call('PUT', `/v1/pools/${POOL}`, { source: BENCH_CLONE_REQUEST.source, spare: SPARE, max: 100 });
    if (pool.status !== 201) throw new Error(`PUT /v1/pools/${POOL} answered ${pool.status}`);
    await invokeFunction(stack, 'pool-scaler', SCALE_POOL);
    const plain: string[] = [];
    for (let i = 0; i < PLAIN_CLONES; i++) plain.push(await submitClone(stack.apiUrl, apiToken));
    const raw = stack.dynamo.client();
    const template = await readStoredJob(raw, stack.dynamo.tableName, plain[0] as string);
    note(`seeding ${n}`);
    const seedMs = await seedFinishedJobs(raw, stack.dynamo.tableName, template, n);
    note(`seeded ${n} in ${Math.round(seedMs)} ms`);
    await untilRunning(call, PLAIN_CLONES + SPARE);
    return { n, seedMs: Math.round(seedMs), stack, raw, meter, apiToken, call, close };
  } catch (error) {
    await close();
    throw error;
  }
}
type Prepared = Awaited<ReturnType<typeof prepare>>;

/** One reconciler or pool scaling pass, invoked directly: its items read and time. */
const pass = async ({ stack, meter }: Prepared, fn: FunctionName, event: unknown): Promise<Pass> => {
  meter.reset();
  const started = performance.now();
  await invokeFunction(stack, fn, event);
  const ms = performance.now() - started;
  const { dynamodb } = meter.of(fn);
  return { itemsRead: dynamodb.itemsRead, readUnits: dynamodb.readUnits, ms };
};

/** One `GET /v1/clones?status=RUNNING` through the gateway. */
const listing = async ({ meter, call }: Prepared): Promise<Pass> => {
  meter.reset();
  const started = performance.now();
  const res = await call('GET', '/v1/clones?status=RUNNING');
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET /v1/clones answered ${res.status}`);
  const { dynamodb } = meter.of('clone-api');
  return { itemsRead: dynamodb.itemsRead, readUnits: dynamodb.readUnits, ms };
};

/**
 * Runs `measure` `times` times on every prepared N in turn (after one warm-up each), so a burst of load on this
 * shared machine hits every N alike; resolves with each N's summary.
 */
const interleaved = async (all: Prepared[], times: number, measure: (p: Prepared) => Promise<Pass>) => {
  const passes = all.map(() => [] as Pass[]);
  for (const p of all) await measure(p);
  for (let i = 0; i < times; i++) for (const [k, p] of all.entries()) passes[k]?.push(await measure(p));
  return passes.map(summary);
};

/**
 * Waits until this process is nearly idle (under 15 % of a core over 2 s, at most 5 minutes): after a bulk load
 * LevelDB compacts in background threads of this process for a while, and a pass measured meanwhile would time the
 * emulator's housekeeping. Resolves with the ms it waited.
 */
async function untilQuiet(): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { user, system } = process.cpuUsage(before);
    if ((user + system) / 2_000_000 < 0.15 || performance.now() - started > 300_000)
      return Math.round(performance.now() - started);
  }
}

/** Waits until the listing shows `count` RUNNING clones: the active load is in place. */
async function untilRunning(call: (m: string, p: string) => Promise<{ json: Record<string, unknown> }>, count: number) {
  const started = performance.now();
  for (;;) {
    const { json } = await call('GET', '/v1/clones?status=RUNNING&limit=100');
    if (((json.jobs ?? json.items) as unknown[] | undefined)?.length === count) return;
    if (performance.now() - started > 120_000) throw new Error(`never ${count} RUNNING: ${JSON.stringify(json)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** POSTs clone requests at `POST_CONCURRENCY`, `POSTS` per N in 10 rounds taking turns; latency and items read. */
async function posts(all: Prepared[]) {
  const latencies = all.map(() => [] as number[]);
  const itemsRead = all.map(() => 0);
  const round = async (p: Prepared, count: number, into: number[]) => {
    let sent = 0;
    const client = async () => {
      while (sent < count) {
        sent++;
        const started = performance.now();
        await submitClone(p.stack.apiUrl, p.apiToken);
        into.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: POST_CONCURRENCY }, client));
  };
  // The emulator alone: a 1 KB PutItem straight to dynalite, to tell its share of a slower POST from the service's.
  const puts = all.map(() => [] as number[]);
  const put = async (p: Prepared, i: number) => {
    const started = performance.now();
    await p.raw.send(
      new PutItemCommand({
        TableName: p.stack.dynamo.tableName,
        Item: { pk: { S: `BENCH#${i}` }, padding: { S: 'x'.repeat(1000) } },
      }),
    );
    return performance.now() - started;
  };
  for (const p of all) await round(p, 10, []);
  for (let r = 0; r < 10; r++)
    for (const [k, p] of all.entries()) {
      p.meter.reset();
      await round(p, POSTS / 10, latencies[k] as number[]);
      itemsRead[k] = (itemsRead[k] ?? 0) + p.meter.of('clone-api').dynamodb.itemsRead;
      for (let i = 0; i < 20; i++) puts[k]?.push(await put(p, r * 20 + i));
    }
  return all.map((_, k) => ({
    ...summarise(latencies[k] as number[]),
    itemsReadPerRequest: Math.round(((itemsRead[k] ?? 0) / POSTS) * 10) / 10,
    emulatorPutItemMs: summarise(puts[k] as number[]),
  }));
}

const prepared: Prepared[] = [];
try {
  for (const n of sizes) prepared.push(await prepare(n));
  note('waiting for LevelDB to finish compacting');
  const quietAfterMs = await untilQuiet();
  note('measuring');
  const reconciler = await interleaved(prepared, PASSES, (p) => pass(p, 'reconciler', SCHEDULED));
  const poolPass = await interleaved(prepared, PASSES, (p) => pass(p, 'pool-scaler', SCALE_POOL));
  const listRunning = await interleaved(prepared, LISTINGS, listing);
  const post = await posts(prepared);
  const results = prepared.map((p, k) => ({
    n: p.n,
    seedMs: p.seedMs,
    reconciler: reconciler[k] as ReturnType<typeof summary>,
    poolPass: poolPass[k] as ReturnType<typeof summary>,
    listRunning: listRunning[k] as ReturnType<typeof summary>,
    post: post[k] as Awaited<ReturnType<typeof posts>>[number],
  }));
  for (const result of results)
    emit({ kind: 'figure', bench: 'scale', mode: `N = ${result.n} finished jobs`, quietAfterMs, ...result });
  const base = results[0];
  const top = results.at(-1);
  if (base && top && results.length > 1) {
    const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.001)) * 100) / 100;
    const ratios = {
      reconcilerMs: ratio(top.reconciler.ms, base.reconciler.ms),
      poolPassMs: ratio(top.poolPass.ms, base.poolPass.ms),
      listRunningMs: ratio(top.listRunning.ms, base.listRunning.ms),
      postP99Ms: ratio(top.post.p99, base.post.p99),
    };
    const itemsEqual =
      JSON.stringify([base.reconciler.itemsRead, base.poolPass.itemsRead, base.listRunning.itemsRead]) ===
      JSON.stringify([top.reconciler.itemsRead, top.poolPass.itemsRead, top.listRunning.itemsRead]);
    emit({
      kind: 'figure',
      bench: 'scale',
      mode: `N = ${top.n} against N = ${base.n}`,
      ratios,
      itemsReadEqual: itemsEqual,
      goal: { ratio: '<= 1.2', itemsRead: 'equal' },
      met: itemsEqual && Object.values(ratios).every((r) => r <= 1.2),
    });
  }
} finally {
  for (const p of prepared) await p.close();
}
