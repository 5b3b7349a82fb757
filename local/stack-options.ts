import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Policy } from '#shared/access/model/policy';
import type { RetryPolicy } from '#shared/clones/model/retry-policy';
import type { FunctionName } from '#shared/composition/service-functions';
import type { ConsoleOidc } from '#shared/console/model/console-oidc';
import type { Clock } from '#shared/runtime/runtime';
import type { VcenterStatus } from '#shared/status/model/status-report';
import type { DynamoDbEmulator } from './emulators/dynamodb-emulator.js';
import type { EventBus } from './emulators/event-bus.js';
import type { SecretsManagerStandIn } from './emulators/secrets-manager-stand-in.js';
import type { SqsEmulator } from './emulators/sqs-emulator.js';
import type { LocalHandler } from './lambda/async-invoker.js';
import type { LocalLogger } from './local-logger.js';
import type { AwsMeter } from './metering/aws-meter.js';
import type { VcSimHandle, VcSimOptions } from './vcsim/index.js';

/** A real vCenter (or a simulator started elsewhere) to clone through instead of the embedded simulator. */
export type ExternalVcenter = { url: string; username: string; password: string; caFile?: string; insecure?: boolean };

export type LocalStackOptions = {
  /**
   * Where dynalite keeps jobs, the embedded simulator keeps its world (`vcsim.json`) and events.ndjson is written;
   * all in memory and no file when absent.
   */
  dataDir?: string;
  /** Port of the HTTP API on 127.0.0.1; 0 picks a free one. */
  apiPort?: number;
  /**
   * The generated (or given) bearer token, `token:default`: with no policy it may do everything; with one, what the
   * policy grants `token:default`. Generated when absent.
   */
  apiToken?: string;
  /**
   * Who may clone what (already parsed and linted: `readPolicyFile`). Absent: no policy, everything is allowed. Its
   * `issuers` are the OIDC issuers whose tokens the gateway verifies.
   */
  policy?: Policy;
  /** More named bearer tokens, by name (`token:<name>`), besides `<dataDir>/tokens.json`. */
  tokens?: Record<string, string>;
  /**
   * The console's OIDC sign-in (`INSTACLONE_CONSOLE_OIDC`); absent: the token form. Its issuer must be one of the
   * policy's `issuers` with the client id as audience, or the stack does not start.
   */
  consoleOidc?: ConsoleOidc;
  /** Use this vCenter; otherwise the embedded simulator is started with `simulator` options. */
  vcenter?: ExternalVcenter;
  simulator?: VcSimOptions;
  /** The worker's Lambda timeout locally; deadlines and the visibility timeout derive from it. */
  workerTimeoutMs?: number;
  /** Clone queue visibility timeout; default 6x the worker timeout, as deployed. */
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  /** Parallel worker invocations (the vCenter protection cap). */
  maxConcurrency?: number;
  /** How often expired leases are reaped (the deployed reaper runs on a schedule); default 15 s. */
  leaseCheckMs?: number;
  /** How often the pool scaler runs on its schedule (the deployed one runs every minute); default 15 s. */
  poolScaleMs?: number;
  /**
   * Signed routes and notifiers (`/v1/hooks/*`, `/v1/chat/slack`, callbacks, Slack outcomes). A route is served
   * only when its secret is given; the callback secret is generated when absent. Locally callbacks may go to
   * http and loopback receivers, and Slack posts to any origin in `slackResponseOrigins`.
   */
  integrations?: {
    genericHookSecret?: string;
    githubWebhookSecret?: string;
    slackSigningSecret?: string;
    callbackSigningSecret?: string;
    /** GITHUB_RUNNER_POOLS JSON. */
    runnerPools?: string;
    githubAppId?: string;
    githubAppPrivateKey?: string;
    githubApiUrl?: string;
    /** Comma-separated origins the Slack notifier may post to; default Slack's only. */
    slackResponseOrigins?: string;
  };
  /** The functions' clock (tests move it on to pass a deadline); the system clock by default. */
  clock?: Clock;
  /** How the worker retries failed clone attempts (tests shorten it); RETRY_POLICY by default. */
  retryPolicy?: RetryPolicy;
  /** Managed MAC ranges (`INSTACLONE_MAC_RANGES` JSON, MacRangesSchema); none when absent. */
  macRanges?: string;
  /** Powertools log level of the functions' own log lines; default `POWERTOOLS_LOG_LEVEL` of this process, else WARN. */
  logLevel?: string;
  /** Receives one short line per published event. */
  printEvent?: (line: string) => void;
  logger?: LocalLogger;
  /**
   * Secrets (vCenter's credentials, the signing secrets, the GitHub App key) served by a Secrets Manager stand-in and
   * named by their `_ARN` settings, read through the deployed provider and its cache, instead of explicit values.
   */
  secretsManager?: boolean;
  /** Counts the AWS requests the stack makes (its SDK clients and function invocations); benches read it. */
  meter?: AwsMeter;
};

export type LocalStack = {
  apiUrl: string;
  /**
   * The web console (`GET /`); it asks for `apiToken`, or takes it from the URL fragment `#token=…`, or, with
   * `consoleOidc`, signs in at the issuer and comes back here (so this URL is the redirect URI to register).
   */
  consoleUrl: string;
  consoleOidc?: ConsoleOidc;
  dataDir?: string;
  apiToken: string;
  vcenterUrl: string;
  /** The embedded simulator, when one was started. */
  vcsim?: VcSimHandle;
  /** The Secrets Manager stand-in (with its call count), when `secretsManager` was asked for. */
  secretsManager?: SecretsManagerStandIn;
  sqs: SqsEmulator;
  dynamo: DynamoDbEmulator;
  bus: EventBus;
  eventsFile?: string;
  /** The secret callbacks are signed with (generated unless given). */
  callbackSigningSecret: string;
  /** Jobs found unfinished on disk at start and re-enqueued. */
  redriven: string[];
  /** The one login to vCenter at start-up (with the worker's client): ok with its API version, or why not. */
  vcenterLogin: VcenterStatus;
  /** Every function's handler as this stack serves it (tests invoke one directly, as Lambda would). */
  handlers: Record<FunctionName, LocalHandler>;
  /** Resolves when the worker has nothing in flight and the queue looked empty. */
  idle(): Promise<void>;
  /** Stops the poller first (finishing in-flight batches), then the gateway, emulators and simulator. */
  close(): Promise<void>;
};

export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
