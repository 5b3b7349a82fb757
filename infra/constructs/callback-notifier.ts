import { Duration } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import type { CallbackNotifierConfig } from '#shared/notifications/config';
import { DEFAULT_RETRY_POLICY } from '#shared/notifications/use-cases/deliver-callback';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { grantJobTable, JOB_TABLE_ACTIONS } from '../table-access.js';
import { addManifestRules } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';
import { keepFailedEvents } from './notification-dead-letter-queue.js';

/** Environment variables of the callback notifier (names checked against its config schema). */
export const CALLBACK_NOTIFIER_ENV = {
  signingSecretArn: 'CALLBACK_SIGNING_SECRET_ARN',
  timeoutMs: 'CALLBACK_TIMEOUT_MS',
  maxAttempts: 'CALLBACK_MAX_ATTEMPTS',
} as const satisfies Record<string, keyof CallbackNotifierConfig>;

/** Per-attempt timeout and attempts of one callback (the handler's defaults, stated so the bound below holds). */
export const CALLBACK_DELIVERY = { timeoutMs: 5_000, attempts: DEFAULT_RETRY_POLICY.attempts } as const;
/** The function's timeout: every attempt timing out plus the backoff between them fits, with room to spare. */
export const CALLBACK_NOTIFIER_TIMEOUT = Duration.seconds(60);

/** Longest one delivery can take: each attempt times out, with the backoff (+20 % jitter) between attempts. */
export const worstCaseDeliveryMs = (attempts: number, timeoutMs: number): number => {
  const { baseDelayMs, maxDelayMs } = DEFAULT_RETRY_POLICY;
  let total = attempts * timeoutMs;
  for (let attempt = 2; attempt <= attempts; attempt++) {
    total += Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2)) * 1.2;
  }
  return total;
};
// 10 s kept for the cold start and the first read of the signing secret.
if (
  worstCaseDeliveryMs(CALLBACK_DELIVERY.attempts, CALLBACK_DELIVERY.timeoutMs) + 10_000 >
  CALLBACK_NOTIFIER_TIMEOUT.toMilliseconds()
) {
  throw new Error('callback retries no longer fit the callback notifier timeout');
}

export type CallbackNotifierProps = {
  readonly entry: string;
  readonly stateful: Pick<
    StatefulResources,
    'eventBus' | 'integrationSecrets' | 'jobTable' | 'notificationDeadLetterQueue'
  >;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
};

/**
 * Posts a signed callback to a job's `callbackUrl` (HMAC with the `callback-signing` secret, bounded retries with
 * backoff) when the job succeeds, fails, is ready or is destroyed. Triggered by its rule in the service manifest (the
 * shared `EVENT_RULES.callbackWanted` pattern) on the service bus (only events whose detail has a `callbackUrl`; the local bus routes with the same
 * pattern). Runs outside the VPC: callback URLs are on the internet (the function refuses private addresses).
 * Its only grants besides logs and traces are read on the callback signing secret, UpdateItem on the job table
 * (it records each outcome as the job's `callbacks`, and reads nothing) and SendMessage to the notification DLQ.
 * A receiver's failure never fails the invocation. A failing function (e.g. the secret unreadable) is retried twice
 * by Lambda's async invocation, then the event goes to the notification DLQ (alarmed), not into the void.
 */
export class CallbackNotifier extends Construct {
  readonly nodeFunction: NodeFunction;
  readonly rules: readonly Rule[];

  constructor(scope: Construct, id: string, props: CallbackNotifierProps) {
    super(scope, id);
    const signingSecret: ISecret = props.stateful.integrationSecrets.callbackSigning;
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf('callback-notifier'),
      description: 'instaclone callback notifier: signed callbacks on clone completion',
      timeout: CALLBACK_NOTIFIER_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        [ENV.JOBS_TABLE_NAME]: props.stateful.jobTable.tableName,
        [CALLBACK_NOTIFIER_ENV.signingSecretArn]: signingSecret.secretArn,
        [CALLBACK_NOTIFIER_ENV.timeoutMs]: String(CALLBACK_DELIVERY.timeoutMs),
        [CALLBACK_NOTIFIER_ENV.maxAttempts]: String(CALLBACK_DELIVERY.attempts),
      },
    });
    signingSecret.grantRead(this.nodeFunction.role);
    grantJobTable(props.stateful.jobTable, this.nodeFunction.role, [...JOB_TABLE_ACTIONS.callbackNotifier]);
    keepFailedEvents(this.nodeFunction.function, props.stateful.notificationDeadLetterQueue);
    this.rules = addManifestRules(this, 'callback-notifier', this.nodeFunction.function, props.stateful.eventBus);
  }
}
