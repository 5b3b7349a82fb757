import { readFileSync } from 'node:fs';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  makeDynamoDbClient,
  makeEventBridgeClient,
  makeSecretsManagerClient,
  makeSqsClient,
} from '#shared/aws/aws-clients';
import { EventBridgeEventPublisher } from '#shared/aws/eventbridge-event-publisher';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { SqsRedelivery } from '#shared/clones/adapters/sqs-redelivery';
import { vcenterCredentials } from '#shared/clones/adapters/vcenter-credentials';
import { VsphereVmCloner } from '#shared/clones/adapters/vsphere-vm-cloner';
import { parseCloneMessage, redeliveryDelaySeconds } from '#shared/clones/model/sqs-delivery';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { loadConfig } from '#shared/config/load-config';
import { WorkerConfigSchema } from '#shared/config/service-config';
import { makeLogger } from '#shared/observability/logger';
import { METRIC, makeMetrics, recordJobOutcome } from '#shared/observability/metrics';
import { makeRunnerGuestinfoFromConfig, RunnerWorkerConfigSchema } from '#shared/runners/config';
import { systemClock } from '#shared/runtime/runtime';
import { createVimClient } from '#shared/vsphere/index';

/** Time kept back from the Lambda deadline to record state and hand the message back cleanly. */
const deadlineMarginMs = (remainingMs: number): number => Math.min(10_000, remainingMs * 0.2);

// Composition root: built once per cold start and reused across invocations (one vCenter session, one agent).
const config = loadConfig(WorkerConfigSchema);
const logger = makeLogger('instaclone-worker');
const metrics = makeMetrics('instaclone-worker');
const vim = createVimClient({
  url: config.VCENTER_URL,
  credentials: vcenterCredentials(config, () => makeSecretsManagerClient(config)),
  ...(config.VCENTER_CA_FILE && { ca: readFileSync(config.VCENTER_CA_FILE) }),
  ...(config.VCENTER_INSECURE && { insecure: true }),
  logger: {
    warn: (message, extra) => logger.warn(message, { ...extra }),
    debug: (message, extra) => logger.debug(message, { ...extra }),
  },
});
const sqs = makeSqsClient(config);
const runnerGuestinfo = makeRunnerGuestinfoFromConfig(loadConfig(RunnerWorkerConfigSchema), () =>
  makeSecretsManagerClient(config),
);
const handleMessage = makeHandleCloneMessage({
  resolveGuestinfo: runnerGuestinfo,
  jobs: new DynamoDbJobRepository(makeDynamoDbClient(config), config.JOBS_TABLE_NAME),
  queue: new SqsCloneQueue(sqs, config.CLONE_QUEUE_URL),
  cloner: new VsphereVmCloner(vim),
  events: new EventBridgeEventPublisher(makeEventBridgeClient(config), config.EVENT_BUS_NAME),
  clock: systemClock,
});
const redelivery = new SqsRedelivery(sqs, config.CLONE_QUEUE_URL);
const processor = new BatchProcessor(EventType.SQS);
/**
 * SQS worker. Each record is one clone message; a record that throws is reported in `batchItemFailures` so only
 * it is redelivered (and reaches the DLQ after maxReceiveCount), never its neighbours.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(logMetrics(metrics))
  .handler(async (event, context: Context) => {
    const remaining = context.getRemainingTimeInMillis();
    const deadline = Date.now() + remaining - deadlineMarginMs(remaining);
    const recordHandler = async (record: SQSRecord) => {
      // Records run in parallel, so keys go into each log call rather than into the shared logger.
      const keys = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
      try {
        const message = parseCloneMessage(record.messageId, record.body);
        const job = await handleMessage(message, { deadline });
        logger.info('clone message done', { ...keys, jobId: message.jobId, status: job?.status ?? 'NO_SUCH_JOB' });
        recordJobOutcome(metrics, job);
      } catch (err) {
        const delay = redeliveryDelaySeconds(err);
        if (delay !== undefined) await redelivery.redeliverIn(record.receiptHandle, delay).catch(() => undefined);
        metrics.addMetric(METRIC.messageRetried, MetricUnit.Count, 1);
        logger.warn('clone message failed; SQS will redeliver it', { ...keys, error: err as Error });
        throw err;
      }
    };
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  });
