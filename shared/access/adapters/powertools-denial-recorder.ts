import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC } from '../../observability/metrics.js';
import type { Denial, DenialRecorder } from '../ports/denial-recorder.js';

/**
 * Logs each denial (who, what, the rule and field; never a token) at warn, and counts it: `AccessDenied` for a
 * policy refusal, `QuotaExceeded` for a reached limit. `metrics` is undefined where metrics are off (locally).
 */
export const powertoolsDenialRecorder = (
  logger: Pick<Logger, 'warn'>,
  metrics: Metrics | undefined,
): DenialRecorder => ({
  denied(denial: Denial): void {
    logger.warn(denial.kind === 'quota' ? 'quota exceeded' : 'access denied', {
      principal: denial.principal.id,
      principalKind: denial.principal.kind,
      action: denial.action,
      rule: denial.rule,
      field: denial.field,
    });
    // Published at once: request handlers have no metrics middleware flushing at the end (it would log a warning on
    // every request that counted nothing).
    metrics?.addMetric(denial.kind === 'quota' ? METRIC.quotaExceeded : METRIC.accessDenied, MetricUnit.Count, 1);
    metrics?.publishStoredMetrics();
  },
});
