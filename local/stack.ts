import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withMembers } from '#shared/composition/lazily';
import { buildServiceDeps, type ServiceDeps } from '#shared/composition/service-deps';
import type { FunctionName } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import { RESOURCE_NAMES, WORKER_BATCH_SIZE } from '#shared/config/resources';
import { buildConsoleAssets } from '#shared/console/build/build-console';
import { consoleIssuerProblem } from '#shared/console/model/console-oidc';
import { ConfigError } from '#shared/errors/app-error';
import { EVENT_RULES } from '#shared/events/event-rules';
import type { VcenterStatus } from '#shared/status/model/status-report';
import { makeProbeVcenter } from '#shared/status/use-cases/report-status';
import { localAuthorizer } from './auth/local-authorizer.js';
import { startDynamoDbEmulator } from './emulators/dynamodb-emulator.js';
import { startEventBus } from './emulators/event-bus.js';
import { ndjsonFileTarget } from './emulators/ndjson-file-target.js';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from './emulators/secrets-manager-stand-in.js';
import { startSqsEmulator } from './emulators/sqs-emulator.js';
import { loadServiceConfig, makeHandlers } from './functions.js';
import { makeAsyncInvoker } from './lambda/async-invoker.js';
import { startHttpGateway } from './lambda/http-gateway.js';
import { startSqsEventSource } from './lambda/sqs-event-source.js';
import { LOCAL_REGION } from './local-aws.js';
import { consoleLogger, type LocalLogger } from './local-logger.js';
import { addManifestRules, gatewayRoutes, startManifestSchedules } from './serve-manifest.js';
import { functionEnv, integrationEnv, secretsAsArns } from './stack-env.js';
import type { LocalStack, LocalStackOptions, WorkerHandler } from './stack-options.js';
import { startVcSim, type VcSimHandle } from './vcsim/index.js';

export type { ExternalVcenter, LocalStack, LocalStackOptions } from './stack-options.js';

/**
 * Starts the whole service in this process on 127.0.0.1: dynalite, fauxqs (queue + DLQ with redrive), the
 * EventBridge stand-in, the vCenter simulator (unless `vcenter` is given), and the service manifest served as
 * deployed: its routes on an HTTP gateway, its event rules on the bus, its schedules on timers (the reconciler once
 * at start), plus an SQS poller in front of the worker.
 *
 * The handlers are the deployed ones, each made by its function's `makeHandler` from deps this stack builds with
 * the deployed adapters factory over its own emulators' clients: nothing is read from or written to `process.env`,
 * so one process can host several stacks. Rejects (after closing what started) when any part fails.
 */
/** How long start-up waits for vCenter's login before it reports it as failed and goes on. */
export const VCENTER_LOGIN_TIMEOUT_MS = 10_000;

/**
 * Logs in to vCenter once, with the client the worker will use (so the first clone reuses the session), and logs
 * how it went. Never rejects: a stack whose vCenter is down still starts, and its jobs say why they fail.
 */
const loginOnce = async (deps: ServiceDeps, logger: LocalLogger): Promise<VcenterStatus> => {
  const probe = makeProbeVcenter({ vcenter: deps.vcenterProbe, clock: deps.clock });
  const login = await probe(AbortSignal.timeout(VCENTER_LOGIN_TIMEOUT_MS));
  if (login.status === 'ok') logger.info('vCenter login ok', { apiVersion: login.apiVersion, ms: login.latencyMs });
  else logger.warn('vCenter login failed', { code: login.error.code, message: login.error.message });
  return login;
};

/** Refuses a console sign-in whose tokens the gateway would refuse, before anything starts. */
const checkConsoleOidc = (options: LocalStackOptions): void => {
  if (!options.consoleOidc) return;
  const problem = consoleIssuerProblem(options.consoleOidc, options.policy?.issuers ?? []);
  if (problem)
    throw new ConfigError(`Invalid configuration: ${ENV.INSTACLONE_CONSOLE_OIDC}.${problem.field}: ${problem.message}`);
};

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  checkConsoleOidc(options);
  const logger = options.logger ?? consoleLogger;
  const workerTimeoutMs = options.workerTimeoutMs ?? 60_000;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    // The console is built on demand (nothing generated is committed), while the emulators start.
    const consoleDir = await mkdtemp(join(tmpdir(), 'instaclone-console-'));
    closers.push(() => rm(consoleDir, { recursive: true, force: true }));
    const consoleBuilt = buildConsoleAssets(consoleDir);
    consoleBuilt.catch(() => undefined);
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
    // Standard Webhooks' own form (`whsec_` + base64 key): receivers pass it to `new Webhook(secret)` as it is.
    const callbackSigningSecret = integrations.callbackSigningSecret ?? `whsec_${randomBytes(24).toString('base64')}`;
    let env: Record<string, string | undefined> = {
      ...functionEnv({
        dynamo,
        sqs,
        bus,
        vcenter,
        logLevel: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      }),
      ...integrationEnv(integrations, callbackSigningSecret),
      VCENTER_MAX_CONCURRENCY: String(options.maxConcurrency ?? 8),
      ...(options.policy && { INSTACLONE_POLICY: JSON.stringify(options.policy) }),
      ...(options.macRanges && { INSTACLONE_MAC_RANGES: options.macRanges }),
      ...(options.consoleOidc && { INSTACLONE_CONSOLE_OIDC: JSON.stringify(options.consoleOidc) }),
      CONSOLE_ASSETS_DIR: consoleDir,
    };
    let secretsManager: SecretsManagerStandIn | undefined;
    if (options.secretsManager) {
      const moved = secretsAsArns(env);
      secretsManager = await startSecretsManagerStandIn(moved.secrets);
      closers.push(secretsManager.close);
      env = { ...moved.env, AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint };
    }
    const config = loadServiceConfig(env);
    const clients = { dynamo: dynamo.client(), sqs: sqs.client(), eventBridge: bus.client() };
    const meter = options.meter;
    const built = buildServiceDeps(config, meter ? meter.clients(clients, dynamo.client()) : clients);
    const deps = withMembers(built, {
      clock: options.clock ?? built.clock,
      retryPolicy: options.retryPolicy ?? built.retryPolicy,
    });
    await consoleBuilt;
    const handlers = meter ? meter.handlers(makeHandlers(deps)) : makeHandlers(deps);
    const vcenterLogin = await loginOnce(deps, logger);
    // Rules and schedules invoke their functions as Lambda's async invocation does; close waits for the runs.
    const invoker = makeAsyncInvoker({ logger, timeoutMs: 60_000 });
    closers.push(invoker.close);
    addManifestRules(bus, handlers, invoker);
    const apiToken = options.apiToken ?? randomBytes(24).toString('base64url');
    const gateway = await startHttpGateway({
      ...(options.apiPort !== undefined && { port: options.apiPort }),
      authorize: localAuthorizer(options, apiToken),
      logger,
      routes: gatewayRoutes(handlers),
    });
    closers.push(gateway.close);
    const source = startSqsEventSource({
      // Lambda's event source mapping polls the queue: its requests are billed as SQS requests too.
      client: meter ? meter.clients({ sqs: sqs.client() }).sqs : sqs.client(),
      queueUrl: sqs.queueUrl,
      queueArn: sqs.queueArn,
      region: LOCAL_REGION,
      handler: handlers['clone-worker'] as WorkerHandler,
      batchSize: WORKER_BATCH_SIZE,
      maxConcurrency: options.maxConcurrency ?? 8,
      functionTimeoutMs: workerTimeoutMs,
      waitTimeSeconds: 1,
      logger,
    });
    closers.push(source.stop);
    const periods: Partial<Record<FunctionName, number | undefined>> = {
      reaper: options.leaseCheckMs,
      'pool-scaler': options.poolScaleMs,
    };
    const schedules = await startManifestSchedules(handlers, invoker, (fn, byDefault) => periods[fn] ?? byDefault);
    closers.push(async () => schedules.stop());
    const redriven = (schedules.atStart.reconciler as { jobIds: string[] }).jobIds;
    if (redriven.length > 0) logger.info('re-drove unfinished jobs from the last run', { count: redriven.length });
    return {
      apiUrl: gateway.url,
      consoleUrl: `${gateway.url}/`,
      ...(options.consoleOidc && { consoleOidc: options.consoleOidc }),
      ...(options.dataDir && { dataDir: options.dataDir }),
      apiToken,
      vcenterUrl: vcenter.url,
      ...(vcsim && { vcsim }),
      ...(secretsManager && { secretsManager }),
      sqs,
      dynamo,
      bus,
      ...(eventsFile && { eventsFile }),
      callbackSigningSecret,
      redriven,
      vcenterLogin,
      handlers,
      idle: source.idle,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
