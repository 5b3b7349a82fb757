import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsMeter, makeAwsMeter } from '#local/metering/aws-meter';
import type { LocalStack } from '#local/stack';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let meter: AwsMeter;

beforeAll(async () => {
  meter = makeAwsMeter();
  stack = await startTestStack({ meter, secretsManager: true });
});
afterAll(() => stack?.close());

/** One clone through the API to its terminal state and its event. */
const cloneOnce = async () => {
  const api = apiClient(stack);
  const answer = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' } });
  const job = await api.waitForFinished(String(answer.json.jobId));
  await stack.idle();
  return job;
};

describe('Local stack with a meter and Secrets Manager: what the cost bench counts', () => {
  it('books each request to the function that made it: the API its request and its job, the worker the rest', async () => {
    // Prepare: the first clone reads the secrets; this one is counted alone.
    await cloneOnce();
    meter.reset();
    const secretCalls = stack.secretsManager?.calls ?? 0;

    // Act
    const job = await cloneOnce();

    // Assess
    expect(job.status).toBe('SUCCEEDED');
    const api = meter.of('clone-api');
    expect(api.apiGatewayRequests).toBeGreaterThanOrEqual(2); // the POST and the polling GETs
    expect(api.dynamodb.requests.PutItem).toBe(1);
    expect(api.dynamodb.writeUnits).toBeGreaterThan(api.dynamodb.indexWriteUnits);
    expect(api.dynamodb.indexWriteUnits).toBeGreaterThanOrEqual(2); // its status and unsettled entries
    expect(api.sqs.requests.SendMessage).toBe(1);
    const worker = meter.of('clone-worker');
    expect(worker.invocations).toBeGreaterThanOrEqual(1);
    expect(worker.apiGatewayRequests).toBe(0);
    expect(worker.eventBridge.events).toBe(1);
    expect(worker.dynamodb.readUnits).toBeGreaterThan(0);
    // The secrets were read once and kept (five minutes): the second clone read none.
    expect(secretCalls).toBeGreaterThanOrEqual(1);
    expect(stack.secretsManager?.calls).toBe(secretCalls);
  });
});
