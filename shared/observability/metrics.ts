import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { JobStatus } from '../clones/model/clone-job.js';

/** The CloudWatch namespace of every metric (unless POWERTOOLS_METRICS_NAMESPACE says otherwise); infra sets the same. */
export const METRICS_NAMESPACE = 'Instaclone';

/** Metric names, in one place so dashboards and alarms can rely on them. */
export const METRIC = {
  cloneSucceeded: 'CloneSucceeded',
  cloneFailed: 'CloneFailed',
  cloneDestroyed: 'CloneDestroyed',
  cloneDurationMs: 'CloneDurationMs',
  messageRetried: 'MessageRetried',
  /** A request the policy refused (403), including keys of another path's namespace. */
  accessDenied: 'AccessDenied',
  /** A clone request beyond its rule's live-clone or concurrent-job limit (429). */
  quotaExceeded: 'QuotaExceeded',
} as const;

/** Records what one clone message ended in: success/failure/destroy counts and the request-to-ready time. */
export const recordJobOutcome = (
  metrics: Metrics,
  job: { status: JobStatus; createdAt: string; readyAt?: string } | undefined,
): void => {
  if (job?.status === 'SUCCEEDED') {
    metrics.addMetric(METRIC.cloneSucceeded, MetricUnit.Count, 1);
    if (job.readyAt) {
      metrics.addMetric(
        METRIC.cloneDurationMs,
        MetricUnit.Milliseconds,
        Date.parse(job.readyAt) - Date.parse(job.createdAt),
      );
    }
  }
  if (job?.status === 'FAILED') metrics.addMetric(METRIC.cloneFailed, MetricUnit.Count, 1);
  if (job?.status === 'DESTROYED') metrics.addMetric(METRIC.cloneDestroyed, MetricUnit.Count, 1);
};
