import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLambdaContext } from '#local/lambda/lambda-context';
import type { LocalStack, LocalStackOptions } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { STORED_TEXT_LIMITS } from '#shared/clones/model/stored-text';
import { apiClient } from '#test/support/api-client';
import { closedPort } from '#test/support/closed-port';
import { shiftedClock } from '#test/support/shifted-clock';
import { startTestStack } from '#test/support/test-stack';

const source = { path: '/DC0/vm/DC0_H0_VM0' };
/** Three attempts a second apart: the budget is spent in seconds, not the deployed minutes. */
const quickRetries = { maxAttempts: 3, firstDelaySeconds: 1, maxDelaySeconds: 1, jitter: 0 };

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const start = async (options: LocalStackOptions = {}) => {
  stack = await startTestStack(options);
  return { stack, api: apiClient(stack) };
};

const submit = async (api: ReturnType<typeof apiClient>, body: Record<string, unknown>): Promise<string> => {
  const { status, json } = await api.call('POST', '/v1/clones', body);
  expect(status).toBe(202);
  return String(json.jobId);
};

const failedEvents = (s: LocalStack, jobId: string) =>
  s.bus.published.filter((e) => e['detail-type'] === 'Clone Failed' && e.detail.jobId === jobId);

describe('Every job ends, on time, and says why', () => {
  it('ends a job FAILED with RETRIES_EXHAUSTED and a fix when vCenter refuses connections', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}/sdk`;
    const { stack, api } = await start({ vcenter: { url, username: 'u', password: 'p' }, retryPolicy: quickRetries });
    // Act
    const jobId = await submit(api, { source });
    const job = await api.waitForFinished(jobId, 30_000);
    // Assess
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      error: { code: 'RETRIES_EXHAUSTED', cause: { code: 'VCENTER_UNAVAILABLE' } },
      lastError: { code: 'VCENTER_UNAVAILABLE' },
    });
    expect(job.error?.cause?.message).toContain('check VCENTER_URL');
    expect(failedEvents(stack, jobId)).toHaveLength(1);
  });

  it('ends a job FAILED at once, naming VCENTER_CA_FILE, when vCenter’s certificate is not trusted', async () => {
    // Prepare: the simulator speaks TLS with a self-signed certificate the stack was not given
    const { stack, api } = await start({ simulator: { tls: true } });
    // Act
    const jobId = await submit(api, { source });
    const job = await api.waitForFinished(jobId, 30_000);
    // Assess
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { code: 'VCENTER_UNAVAILABLE', retryable: false },
    });
    expect(job.error?.message).toContain('set VCENTER_CA_FILE');
    expect(failedEvents(stack, jobId)).toHaveLength(1);
  });

  it('ends a waitFor ip job whose guest never re-identifies at its deadline, and destroys its clone', async () => {
    // Prepare: the clone keeps reporting the source's IP for an hour
    const clock = shiftedClock();
    const { stack, api } = await start({ clock, simulator: { guestIpDelayMs: 3_600_000 } });
    const jobId = await submit(api, { source, waitFor: 'ip', timeoutMinutes: 1 });
    const waiting = await api.waitFor(jobId, (j) => j.vm !== undefined, 15_000);
    // Act: the minute passes
    clock.advance(60_000);
    const job = await api.waitForFinished(jobId, 15_000);
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'DEADLINE_EXCEEDED', retryable: false } });
    expect(job.error?.message).toContain('its guest had not reported a new IP address');
    await expect.poll(() => stack.vcsim?.sim.getVm(waiting.vm?.moref ?? '')).toBeUndefined();
    expect(failedEvents(stack, jobId)).toHaveLength(1);
  });

  it('stores a 1 MiB vCenter fault as a readable, truncated message and ends the job FAILED', async () => {
    // Prepare
    const { stack, api } = await start();
    const message = `A general system error occurred: ${'vpxd stack frame '.repeat(65_000)}`;
    stack.vcsim?.sim.injectFault({
      method: 'InstantClone_Task',
      effect: 'fault',
      fault: 'SystemError',
      message,
      count: 1,
    });
    // Act
    const job = await api.waitForFinished(await submit(api, { source }), 15_000);
    // Assess
    expect(message.length).toBeGreaterThan(1024 * 1024);
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'VCENTER_FAULT', fault: 'SystemError' } });
    expect(Buffer.byteLength(job.error?.message ?? '')).toBeLessThanOrEqual(STORED_TEXT_LIMITS.messageBytes);
    expect(job.error?.message).toMatch(/^A general system error occurred: vpxd stack frame/);
    expect(job.error?.message).toMatch(/\[truncated: \d+ characters in all\]$/);
  });

  it('destroys the clone of a RUNNING job within seconds of a DELETE, not after a visibility timeout', async () => {
    // Prepare: 2 s clone tasks, and a visibility timeout of a minute that a stale delivery would have to wait out
    const { stack, api } = await start({ simulator: { taskDurationMs: 2_000 }, visibilityTimeoutSeconds: 60 });
    const jobId = await submit(api, { source });
    await api.waitFor(jobId, (j) => j.task !== undefined, 10_000);
    // Act
    const { status, json } = await api.call('DELETE', `/v1/clones/${jobId}`);
    const job = await api.waitFor(jobId, (j) => j.status === 'DESTROYED', 10_000);
    // Assess
    expect(status).toBe(202);
    expect((json as unknown as CloneJobView).status).toBe('RUNNING');
    expect(job.status).toBe('DESTROYED');
    expect(stack.vcsim?.sim.findVmByName(job.vmName)).toBeUndefined();
  });

  it('never mixes the batches of 8 worker invocations running at once in one process', async () => {
    // Prepare: each invocation gets a batch of its own, with one record that must fail
    const { stack } = await start();
    const record = (id: string, body: string): SQSRecord =>
      ({
        messageId: id,
        receiptHandle: `handle-${id}`,
        body,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        eventSource: 'aws:sqs',
      }) as unknown as SQSRecord;
    const batches = Array.from({ length: 8 }, (_, i) => [
      record(`ok-${i}-a`, JSON.stringify({ version: '1', jobId: `no-such-job-${i}a` })),
      record(`bad-${i}`, 'not json'),
      record(`ok-${i}-b`, JSON.stringify({ version: '1', jobId: `no-such-job-${i}b` })),
    ]);
    const worker = stack.handlers['clone-worker'];
    // Act
    const answers = await Promise.all(
      batches.map(
        (records) =>
          worker(
            { Records: records } satisfies SQSEvent,
            makeLambdaContext({ functionName: 'w', timeoutMs: 10_000 }),
          ) as Promise<{
            batchItemFailures: Array<{ itemIdentifier: string }>;
          }>,
      ),
    );
    // Assess
    answers.forEach((answer, i) => {
      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: `bad-${i}` }]);
    });
  });
});
