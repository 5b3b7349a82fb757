import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { RETRY_POLICY, type RetryPolicy } from '../clones/model/retry-policy.js';
import { METRICS_NAMESPACE } from '../observability/metrics.js';
import { randomIds } from '../runtime/random-ids.js';
import { type Clock, type IdGenerator, systemClock } from '../runtime/runtime.js';
import { family } from './family.js';
import { required } from './lazily.js';

/** What every function has: time, ids, its logger and metrics, and the plain settings its use cases take. */
export type CoreDeps = {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** A structured logger for one function (`instaclone-<name>`), at the configured level. */
  readonly logger: (serviceName: string) => Logger;
  /** Powertools Metrics (EMF on stdout) for one function; undefined where metrics are off (locally). */
  readonly metrics: (serviceName: string) => Metrics | undefined;
  /** The reconciler re-drives jobs untouched this long in QUEUED, RUNNING or DESTROYING. */
  readonly stuckAfterMs: number;
  /** How the worker retries a failed clone attempt (the budget and the backoff). */
  readonly retryPolicy: RetryPolicy;
  /** The pool scaler's cap on jobs in flight (the vCenter concurrency cap) and its back-off for degraded pools. */
  readonly scalingPolicy: { maxInFlight: number; backoffBaseMs: number };
};

export const coreFamily = family<CoreDeps>((config) => ({
  clock: () => systemClock,
  ids: () => randomIds,
  logger: () => (serviceName) =>
    new Logger({ serviceName, ...(config.POWERTOOLS_LOG_LEVEL && { logLevel: config.POWERTOOLS_LOG_LEVEL }) }),
  metrics: () => (serviceName) =>
    config.POWERTOOLS_METRICS_DISABLED
      ? undefined
      : new Metrics({ namespace: config.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE, serviceName }),
  retryPolicy: () => RETRY_POLICY,
  stuckAfterMs: () => required(config.STUCK_AFTER_MINUTES, 'STUCK_AFTER_MINUTES') * 60_000,
  scalingPolicy: () => ({
    maxInFlight: required(config.VCENTER_MAX_CONCURRENCY, 'VCENTER_MAX_CONCURRENCY'),
    backoffBaseMs: required(config.POOL_BACKOFF_BASE_SECONDS, 'POOL_BACKOFF_BASE_SECONDS') * 1000,
  }),
}));
