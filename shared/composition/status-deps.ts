import { DynamoDbJobCensus } from '../clones/adapters/dynamodb-job-census.js';
import { vsphereVcenterProbe } from '../clones/adapters/vsphere-vcenter-probe.js';
import { SqsQueueDepths } from '../status/adapters/sqs-queue-depths.js';
import type { JobCensus, QueueDepths, VcenterProbe } from '../status/ports/status-probes.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import { family } from './family.js';
import { required } from './lazily.js';
import type { VcenterDeps } from './vcenter-deps.js';

/** What `GET /v1/status` reads: vCenter through the worker's client, both queues' depths, the job table's index. */
export type StatusDeps = {
  readonly vcenterProbe: VcenterProbe;
  readonly queueDepths: QueueDepths;
  readonly jobCensus: JobCensus;
};

export const statusFamily = family<StatusDeps, AwsDeps & VcenterDeps>((config) => ({
  vcenterProbe: (d) => vsphereVcenterProbe(d.vim),
  queueDepths: (d) =>
    new SqsQueueDepths(d.sqs, {
      queue: required(config.CLONE_QUEUE_URL, 'CLONE_QUEUE_URL'),
      deadLetterQueue: required(config.CLONE_DLQ_URL, 'CLONE_DLQ_URL'),
    }),
  jobCensus: (d) => new DynamoDbJobCensus(d.dynamo, jobsTable(config)),
}));
