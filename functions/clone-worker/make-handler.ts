import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseCloneMessage, redeliveryDelaySeconds } from '#shared/clones/model/sqs-delivery';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { githubFamily } from '#shared/composition/github-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { vcenterFamily } from '#shared/composition/vcenter-deps';
import { WorkerConfigSchema } from '#shared/config/service-config';
import { METRIC, recordJobOutcome } from '#shared/observability/metrics';
import { RunnerWorkerConfigSchema } from '#shared/runners/config';
import { makeRunnerGuestinfoResolver } from '#shared/runners/use-cases/runner-guestinfo';

export type CloneWorkerDeps = Pick<
  ReturnType<typeof buildDeps>,
  | 'jobs'
  | 'queue'
  | 'cloner'
  | 'events'
  | 'clock'
  | 'redelivery'
  | 'runnerPools'
  | 'githubApp'
  | 'logger'
  | 'metrics'
  | 'quotaRelease'
>;

/** What this function reads from its environment (validated once, at cold start), GitHub runner settings included. */
export const configSchema = WorkerConfigSchema.safeExtend(RunnerWorkerConfigSchema.shape);

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(
  coreFamily,
  awsFamily,
  secretFamily,
  githubFamily,
  vcenterFamily,
  accessFamily,
);

/** Time kept back from the Lambda deadline to record state and hand the message back cleanly. */
const deadlineMarginMs = (remainingMs: number): number => Math.min(10_000, remainingMs * 0.2);

/**
 * SQS worker. Each record is one clone message; a record that throws is reported in `batchItemFailures` so only
 * it is redelivered (and reaches the DLQ after maxReceiveCount), never its neighbours. Built once per container and
 * reused across invocations (one vCenter session, one agent).
 */
export const makeHandler = (deps: CloneWorkerDeps) => {
  const logger = deps.logger(serviceNameOf('clone-worker'));
  const metrics = deps.metrics(serviceNameOf('clone-worker'));
  const runnerGuestinfo = makeRunnerGuestinfoResolver({ pools: deps.runnerPools, github: deps.githubApp });
  const handleMessage = makeHandleCloneMessage({
    resolveGuestinfo: runnerGuestinfo,
    jobs: deps.jobs,
    queue: deps.queue,
    cloner: deps.cloner,
    events: deps.events,
    clock: deps.clock,
    quota: deps.quotaRelease,
  });
  const processor = new BatchProcessor(EventType.SQS);
  const worker = middy<SQSEvent, SQSBatchResponse>();
  if (metrics) worker.use(logMetrics(metrics));
  return worker.handler(async (event, context: Context) => {
    const remaining = context.getRemainingTimeInMillis();
    const deadline = Date.now() + remaining - deadlineMarginMs(remaining);
    const recordHandler = async (record: SQSRecord) => {
      // Records run in parallel, so keys go into each log call rather than into the shared logger.
      const keys = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
      try {
        const message = parseCloneMessage(record.messageId, record.body);
        const job = await handleMessage(message, { deadline });
        logger.info('clone message done', { ...keys, jobId: message.jobId, status: job?.status ?? 'NO_SUCH_JOB' });
        if (metrics) recordJobOutcome(metrics, job);
      } catch (err) {
        const delay = redeliveryDelaySeconds(err);
        if (delay !== undefined) await deps.redelivery.redeliverIn(record.receiptHandle, delay).catch(() => undefined);
        metrics?.addMetric(METRIC.messageRetried, MetricUnit.Count, 1);
        logger.warn('clone message failed; SQS will redeliver it', { ...keys, error: err as Error });
        throw err;
      }
    };
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  });
};
