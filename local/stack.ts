import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { withMembers } from '#shared/composition/lazily';
import { buildServiceDeps } from '#shared/composition/service-deps';
import { RESOURCE_NAMES, WORKER_BATCH_SIZE } from '#shared/config/resources';
import { EVENT_RULES } from '#shared/events/event-rules';
import { POOL_EVENT_RULES } from '#shared/pools/model/pool-events';
import { startDynamoDbEmulator } from './emulators/dynamodb-emulator.js';
import { type BusEvent, startEventBus } from './emulators/event-bus.js';
import { ndjsonFileTarget } from './emulators/ndjson-file-target.js';
import { startSqsEmulator } from './emulators/sqs-emulator.js';
import { FUNCTIONS, loadServiceConfig } from './functions.js';
import { startHttpGateway } from './lambda/http-gateway.js';
import { makeLambdaContext } from './lambda/lambda-context.js';
import { startSqsEventSource } from './lambda/sqs-event-source.js';
import { LOCAL_REGION } from './local-aws.js';
import { consoleLogger } from './local-logger.js';
import { functionEnv, integrationEnv } from './stack-env.js';
import type {
  ApiHandler,
  BusTargetHandler,
  LocalStack,
  LocalStackOptions,
  ScalerHandler,
  WorkerHandler,
} from './stack-options.js';
import { startVcSim, type VcSimHandle } from './vcsim/index.js';

export type { ExternalVcenter, LocalStack, LocalStackOptions } from './stack-options.js';

/**
 * Starts the whole service in this process on 127.0.0.1: dynalite, fauxqs (queue + DLQ with redrive), the
 * EventBridge stand-in with the shared rules, the vCenter simulator (unless `vcenter` is given), the HTTP
 * gateway in front of the real API handler and an SQS poller in front of the real worker handler.
 *
 * The handlers are the deployed ones, each made by its function's `makeHandler` from deps this stack builds with
 * the deployed adapters factory over its own emulators' clients: nothing is read from or written to `process.env`,
 * so one process can host several stacks. Rejects (after closing what started) when any part fails.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const logger = options.logger ?? consoleLogger;
  const workerTimeoutMs = options.workerTimeoutMs ?? 60_000;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    const dynamo = await startDynamoDbEmulator(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {});
    closers.push(dynamo.close);
    const sqs = await startSqsEmulator({
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? Math.ceil((workerTimeoutMs / 1000) * 6),
      ...(options.maxReceiveCount !== undefined && { maxReceiveCount: options.maxReceiveCount }),
    });
    closers.push(sqs.close);
    const eventsFile = options.dataDir ? join(options.dataDir, 'events.ndjson') : undefined;
    const bus = await startEventBus({ busName: RESOURCE_NAMES.eventBus, rules: [], logger });
    closers.push(bus.close);
    if (eventsFile) {
      bus.addRule({
        name: 'all-clone-events',
        pattern: EVENT_RULES.allCloneEvents,
        target: ndjsonFileTarget(eventsFile, options.printEvent),
      });
    }
    let vcsim: VcSimHandle | undefined;
    let vcenter = options.vcenter;
    if (!vcenter) {
      // The simulator's world lives beside the jobs, so a restart finds the VMs they point to.
      const stateFile = options.dataDir ? join(options.dataDir, 'vcsim.json') : undefined;
      vcsim = await startVcSim({ ...(stateFile && { stateFile }), ...options.simulator });
      closers.push(vcsim.close);
      vcenter = {
        url: vcsim.url,
        username: options.simulator?.username ?? 'instaclone',
        password: options.simulator?.password ?? randomBytes(12).toString('hex'),
      };
    }
    const integrations = options.integrations ?? {};
    const callbackSigningSecret = integrations.callbackSigningSecret ?? randomBytes(24).toString('base64url');
    const config = loadServiceConfig({
      ...functionEnv({
        dynamo,
        sqs,
        bus,
        vcenter,
        logLevel: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      }),
      ...integrationEnv(integrations, callbackSigningSecret),
      VCENTER_MAX_CONCURRENCY: String(options.maxConcurrency ?? 8),
    });
    const deps = buildServiceDeps(config, { dynamo: dynamo.client(), sqs: sqs.client(), eventBridge: bus.client() });
    const api = FUNCTIONS['clone-api'].makeHandler(deps) as unknown as ApiHandler;
    const worker = FUNCTIONS['clone-worker'].makeHandler(deps) as unknown as WorkerHandler;
    const poolApi = FUNCTIONS['pool-api'].makeHandler(deps) as unknown as ApiHandler;
    const poolScaler = FUNCTIONS['pool-scaler'].makeHandler(deps) as unknown as ScalerHandler;
    const hooks = FUNCTIONS.hooks.makeHandler(deps) as unknown as ApiHandler;
    const callbackNotifier = FUNCTIONS['callback-notifier'].makeHandler(deps) as unknown as BusTargetHandler;
    const slackNotifier = FUNCTIONS['slack-notifier'].makeHandler(deps) as unknown as BusTargetHandler;
    const reaperHandler = FUNCTIONS.reaper.makeHandler(deps) as unknown as ScalerHandler;
    // fauxqs keeps messages in memory only: after a restart every unfinished job on disk needs a new one.
    const reconciler = FUNCTIONS.reconciler.makeHandler(
      withMembers(deps, { stuckAfterMs: 0 }),
    ) as unknown as ScalerHandler;
    // The local bus awaits its targets inside PutEvents; notifiers retry with backoff, so never hold the worker.
    const inBackground = (name: string, notify: BusTargetHandler) => (event: BusEvent) => {
      notify(event, makeLambdaContext({ functionName: name, timeoutMs: 30_000 })).catch((error: unknown) =>
        logger.warn(`${name} failed`, { error: String(error) }),
      );
    };
    bus.addRule({
      name: 'callback-wanted',
      pattern: EVENT_RULES.callbackWanted,
      target: inBackground('callback-notifier', callbackNotifier),
    });
    bus.addRule({
      name: 'slack-wanted',
      pattern: EVENT_RULES.slackWanted,
      target: inBackground('slack-notifier', slackNotifier),
    });
    const apiToken = options.apiToken ?? randomBytes(24).toString('base64url');
    const gateway = await startHttpGateway({
      ...(options.apiPort !== undefined && { port: options.apiPort }),
      bearerToken: apiToken,
      logger,
      routes: [
        { method: 'POST', path: '/v1/clones', handler: api },
        { method: 'GET', path: '/v1/clones', handler: api },
        { method: 'GET', path: '/v1/clones/{jobId}', handler: api },
        { method: 'DELETE', path: '/v1/clones/{jobId}', handler: api },
        { method: 'GET', path: '/v1/health', handler: api, auth: 'none' },
        { method: 'GET', path: '/v1/openapi.json', handler: api, auth: 'none' },
        // Signed routes: each verifies its sender's signature instead of the bearer token.
        { method: 'POST', path: '/v1/hooks/generic', handler: hooks, auth: 'none' },
        { method: 'POST', path: '/v1/hooks/github', handler: hooks, auth: 'none' },
        { method: 'POST', path: '/v1/chat/slack', handler: hooks, auth: 'none' },
        { method: 'GET', path: '/v1/pools', handler: poolApi },
        { method: 'PUT', path: '/v1/pools/{name}', handler: poolApi },
        { method: 'GET', path: '/v1/pools/{name}', handler: poolApi },
        { method: 'DELETE', path: '/v1/pools/{name}', handler: poolApi },
        { method: 'POST', path: '/v1/pools/{name}/claim', handler: poolApi },
        { method: 'POST', path: '/v1/pools/{name}/release', handler: poolApi },
      ],
    });
    closers.push(gateway.close);
    const source = startSqsEventSource({
      client: sqs.client(),
      queueUrl: sqs.queueUrl,
      queueArn: sqs.queueArn,
      region: LOCAL_REGION,
      handler: worker,
      batchSize: WORKER_BATCH_SIZE,
      maxConcurrency: options.maxConcurrency ?? 8,
      functionTimeoutMs: workerTimeoutMs,
      waitTimeSeconds: 1,
      logger,
    });
    closers.push(source.stop);
    const reconciled = (await reconciler(
      {},
      makeLambdaContext({ functionName: 'instaclone-reconciler', timeoutMs: 60_000 }),
    )) as {
      jobIds: string[];
    };
    const redriven = reconciled.jobIds;
    if (redriven.length > 0) logger.info('re-drove unfinished jobs from the last run', { count: redriven.length });
    // The scheduled reaper function on a timer: expired leases (announced to pools), idle GitHub runner clones.
    const reaper = setInterval(() => {
      const context = makeLambdaContext({ functionName: 'instaclone-reaper', timeoutMs: 60_000 });
      reaperHandler({}, context).catch((err: unknown) => logger.warn('lease reaper failed', { error: String(err) }));
    }, options.leaseCheckMs ?? 15_000);
    closers.push(async () => clearInterval(reaper));
    // The pool scaler is invoked asynchronously, as EventBridge invokes Lambda: never inside the publisher's call.
    const scaling = new Set<Promise<unknown>>();
    let scalerStopped = false;
    const scale = (event: unknown) => {
      if (scalerStopped) return;
      const context = makeLambdaContext({ functionName: 'instaclone-pool-scaler', timeoutMs: 60_000 });
      const run = poolScaler(event, context)
        .catch((err: unknown) => logger.warn('pool scaler failed', { error: String(err) }))
        .finally(() => scaling.delete(run));
      scaling.add(run);
    };
    for (const [name, pattern] of Object.entries(POOL_EVENT_RULES)) bus.addRule({ name, pattern, target: scale });
    const poolTimer = setInterval(
      () => scale({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
      options.poolScaleMs ?? 15_000,
    );
    closers.push(async () => {
      scalerStopped = true;
      clearInterval(poolTimer);
      await Promise.allSettled([...scaling]);
    });
    return {
      apiUrl: gateway.url,
      ...(options.dataDir && { dataDir: options.dataDir }),
      apiToken,
      vcenterUrl: vcenter.url,
      ...(vcsim && { vcsim }),
      sqs,
      dynamo,
      bus,
      ...(eventsFile && { eventsFile }),
      callbackSigningSecret,
      redriven,
      idle: source.idle,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
