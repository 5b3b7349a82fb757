import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type HandBack, handBackOf, parseCloneMessage } from '#shared/clones/model/sqs-delivery';
import { causeOf } from '#shared/clones/use-cases/clone-attempts';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { githubFamily } from '#shared/composition/github-deps';
import { macFamily } from '#shared/composition/mac-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { vcenterFamily } from '#shared/composition/vcenter-deps';
import { CLONE_QUEUE_MAX_RECEIVE_COUNT } from '#shared/config/resources';
import { WorkerConfigSchema } from '#shared/config/service-config';
import { RetryScheduledError } from '#shared/errors/app-error';
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
  | 'retryPolicy'
  | 'macs'
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
  macFamily,
  secretFamily,
  githubFamily,
  vcenterFamily,
  accessFamily,
);

/** Time kept back from the Lambda deadline to record state and hand the message back cleanly. */
const deadlineMarginMs = (remainingMs: number): number => Math.min(10_000, remainingMs * 0.2);

/** What the log says about a record handed back: the pace and, for a failed attempt, what it failed with. */
const handBackLine = (err: unknown, back: HandBack): { message: string; extra: Record<string, unknown> } => {
  if (back.kind === 'timeout')
    return { message: 'clone message failed; SQS redelivers it after the visibility timeout', extra: { error: err } };
  const cause = err instanceof RetryScheduledError ? causeOf(err.cause) : undefined;
  const how = back.kind === 'renew' ? 'as a fresh message' : 'by visibility';
  return cause
    ? { message: `clone attempt failed; next attempt in ${back.delaySeconds} s (${how})`, extra: { cause } }
    : {
        message: `clone not done yet; looking again in ${back.delaySeconds} s (${how})`,
        extra: { code: (err as { code?: string }).code },
      };
};

/**
 * SQS worker. Each record is one clone message; a record that throws is reported in `batchItemFailures` so only
 * it is redelivered, never its neighbours, at the pace its job asks for (`handBackOf`). Built once per container and
 * reused across invocations (one vCenter session, one agent); each invocation has its own batch processor, so
 * invocations running at the same time in one process never mix their records.
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
    retryPolicy: deps.retryPolicy,
    macs: deps.macs,
  });
  /** Hands a failed record back; resolves true when it was renewed (then this copy counts as handled). */
  const handBack = async (record: SQSRecord, back: HandBack): Promise<boolean> => {
    if (back.kind === 'renew') {
      const renewed = await deps.redelivery.renew(record.body, back.delaySeconds).then(
        () => true,
        () => false,
      );
      if (renewed) return true;
    }
    if (back.kind !== 'timeout')
      await deps.redelivery.redeliverIn(record.receiptHandle, back.delaySeconds).catch(() => undefined);
    return false;
  };
  const worker = middy<SQSEvent, SQSBatchResponse>();
  if (metrics) worker.use(logMetrics(metrics));
  return worker.handler(async (event, context: Context) => {
    const remaining = context.getRemainingTimeInMillis();
    const deadline = deps.clock.now().getTime() + remaining - deadlineMarginMs(remaining);
    const recordHandler = async (record: SQSRecord) => {
      // Records run in parallel, so keys go into each log call rather than into the shared logger.
      const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
      const keys = { messageId: record.messageId, receiveCount };
      try {
        const message = parseCloneMessage(record.messageId, record.body);
        const sentAt = Number(record.attributes.SentTimestamp);
        const job = await handleMessage(message, {
          deadline,
          ...(sentAt > 0 && { sentAt: new Date(sentAt).toISOString() }),
        });
        logger.info('clone message done', { ...keys, jobId: message.jobId, status: job?.status ?? 'NO_SUCH_JOB' });
        if (metrics) recordJobOutcome(metrics, job);
      } catch (err) {
        const back = handBackOf(err, receiveCount, CLONE_QUEUE_MAX_RECEIVE_COUNT);
        const renewed = await handBack(record, back);
        metrics?.addMetric(METRIC.messageRetried, MetricUnit.Count, 1);
        const line = handBackLine(err, back);
        const extra = { ...keys, jobId: (err as { jobId?: unknown }).jobId, ...line.extra };
        if (back.kind === 'timeout') logger.warn(line.message, extra);
        else logger.info(line.message, extra);
        if (!renewed) throw err;
      }
    };
    // One processor per invocation: a shared one would mix the records of invocations running at the same time.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  });
};
