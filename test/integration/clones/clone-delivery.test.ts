import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
const source = { path: '/DC0/vm/DC0_C0_RP0_VM1' };

const send = (body: string) =>
  stack.sqs.client().send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl, MessageBody: body }));

const clonesNamed = (name: string) => stack.vcsim?.sim.listVms().filter((vm) => vm.name === name) ?? [];

const cloneOnce = async (body: Record<string, unknown> = { source }): Promise<CloneJobView> => {
  const { json } = await api.call('POST', '/v1/clones', body);
  return api.waitForFinished(String(json.jobId), 15_000);
};

beforeAll(async () => {
  stack = await startTestStack({ visibilityTimeoutSeconds: 1, maxReceiveCount: 4 });
  api = apiClient(stack);
});
afterAll(() => stack?.close());
beforeEach(() => stack.vcsim?.sim.clearFaults());

describe('Clone delivery: exactly one VM per job over at-least-once delivery', () => {
  it('makes one VM per job when every message is delivered twice', async () => {
    // Prepare
    const { json } = await api.call('POST', '/v1/clones', { source, count: 5 });
    const jobs = json.jobs as CloneJobView[];
    // Act
    await Promise.all(jobs.map((j) => send(JSON.stringify({ version: '1', jobId: j.jobId }))));
    const done = await Promise.all(jobs.map((j) => api.waitForFinished(j.jobId, 15_000)));
    await stack.idle();
    // Assess
    expect(done.map((j) => j.status)).toEqual(Array(5).fill('SUCCEEDED'));
    for (const job of done) expect(clonesNamed(job.vmName)).toHaveLength(1);
  });

  it('adopts the clone a failed task left behind instead of failing or cloning again', async () => {
    // Prepare
    stack.vcsim?.sim.injectFault({ method: 'InstantClone_Task', effect: 'orphan', fault: 'SystemError', count: 1 });
    // Act
    const job = await cloneOnce();
    // Assess
    expect(job.status).toBe('SUCCEEDED');
    expect(clonesNamed(job.vmName)).toHaveLength(1);
    expect(clonesNamed(job.vmName)[0]?.moref).toBe(job.vm?.moref);
  });

  it('ends SUCCEEDED after a retryable fault (TaskInProgress), through an SQS redelivery', async () => {
    // Prepare
    stack.vcsim?.sim.injectFault({ method: 'InstantClone_Task', effect: 'fault', fault: 'TaskInProgress', count: 1 });
    // Act
    const job = await cloneOnce();
    // Assess
    expect(job.status).toBe('SUCCEEDED');
    expect(clonesNamed(job.vmName)).toHaveLength(1);
  });

  it('logs in again when vCenter drops the session mid-run', async () => {
    // Prepare
    stack.vcsim?.sim.injectFault({ method: 'InstantClone_Task', effect: 'sessionDrop', count: 1 });
    // Act
    const job = await cloneOnce();
    // Assess
    expect(job.status).toBe('SUCCEEDED');
  });

  it('ends FAILED with the fault type after a terminal task fault', async () => {
    // Prepare
    stack.vcsim?.sim.injectFault({
      method: 'InstantClone_Task',
      effect: 'taskFault',
      fault: 'InsufficientResourcesFault',
      count: 1,
    });
    // Act
    const job = await cloneOnce();
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { fault: 'InsufficientResourcesFault', retryable: false } });
    expect(clonesNamed(job.vmName)).toHaveLength(0);
  });

  it('moves a malformed message to the DLQ without touching any job', async () => {
    // Prepare
    const dlqDepth = async () => {
      const { Attributes } = await stack.sqs.client().send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.sqs.dlqUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    };
    const before = await dlqDepth();
    // Act
    await send('{"version":"1","jobId":"../../etc/passwd"}');
    const until = Date.now() + 15_000;
    while ((await dlqDepth()) === before && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    // Assess
    expect(await dlqDepth()).toBe(before + 1);
  });
});
