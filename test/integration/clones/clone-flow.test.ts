import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { INVALID_CLONE_BODIES } from '#test/support/invalid-clone-bodies';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let dataDir: string;

const api = async (method: string, path: string, body?: string, token = stack.apiToken) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

const waitForTerminal = async (jobId: string, timeoutMs = 10_000): Promise<CloneJobView> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await api('GET', `/v1/clones/${jobId}`);
    const job = json as unknown as CloneJobView;
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED') return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const queuedMessages = async (): Promise<number> => {
  const { Attributes } = await stack.sqs.client().send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.sqs.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'instaclone-flow-'));
  stack = await startTestStack({ dataDir, printEvent: () => {} });
});

afterAll(async () => {
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Clone flow: HTTP API -> SQS -> worker -> simulator -> DynamoDB -> EventBridge', () => {
  it('clones the source with the MAC and guestinfo asked for and announces Clone Succeeded', async () => {
    // Prepare
    const body = {
      source: { path: '/DC0/vm/DC0_H0_VM0' },
      nics: [{ key: 4000, mac: '00:50:56:3a:12:34' }],
      guestinfo: { 'ci.job': '42' },
    };
    // Act
    const accepted = await api('POST', '/v1/clones', JSON.stringify(body));
    const job = await waitForTerminal(String(accepted.json.jobId));
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.json).toMatchObject({ status: 'QUEUED', request: { source: { path: '/DC0/vm/DC0_H0_VM0' } } });
    expect(job).toMatchObject({ status: 'SUCCEEDED', vm: { name: `instaclone-${job.jobId}` }, task: {} });
    const vm = stack.vcsim?.sim.findVmByName(job.vmName);
    expect(vm).toMatchObject({ moref: job.vm?.moref, powerState: 'poweredOn' });
    expect(vm?.nics.find((n) => n.key === 4000)).toMatchObject({
      macAddress: '00:50:56:3a:12:34',
      addressType: 'manual',
    });
    expect(vm?.extraConfig).toMatchObject({ 'guestinfo.ci.job': '42', 'instaclone.jobId': job.jobId });
    expect(job.vm?.nics).toContainEqual({ key: 4000, mac: '00:50:56:3a:12:34', addressType: 'manual' });
    // The event is published after the state is recorded, so a reader can see SUCCEEDED a moment before it.
    await vi.waitFor(async () => {
      const events = (await readFile(join(dataDir, 'events.ndjson'), 'utf8').catch(() => ''))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      expect(events).toContainEqual(
        expect.objectContaining({
          source: 'instaclone',
          'detail-type': 'Clone Succeeded',
          detail: expect.objectContaining({ jobId: job.jobId, vm: job.vm }),
        }),
      );
    });
  });

  it('fails the job with InvalidPowerState and announces Clone Failed when the source is powered off', async () => {
    // Prepare
    const source = stack.vcsim?.sim.findVmByName('DC0_H0_VM1');
    stack.vcsim?.sim.setPowerState(source?.moref ?? '', 'poweredOff');
    // Act
    const accepted = await api('POST', '/v1/clones', JSON.stringify({ source: { moref: source?.moref } }));
    const job = await waitForTerminal(String(accepted.json.jobId));
    // Assess
    expect(job).toMatchObject({
      status: 'FAILED',
      error: { code: 'VCENTER_FAULT', fault: 'InvalidPowerState', retryable: false },
    });
    expect(stack.vcsim?.sim.findVmByName(job.vmName)).toBeUndefined();
    await vi.waitFor(() =>
      expect(stack.bus.published).toContainEqual(
        expect.objectContaining({
          'detail-type': 'Clone Failed',
          detail: expect.objectContaining({ jobId: job.jobId }),
        }),
      ),
    );
  });
});

describe('Clone flow: bad input', () => {
  // Earlier tests' messages must be gone before counting what a rejected request adds.
  beforeAll(() => stack.idle());

  it.each([
    ['a body that is not JSON', '{"source":', 'body'] as const,
    ['a __proto__ key', '{"source":{"moref":"vm-1"},"guestinfo":{"__proto__":"x"}}', 'guestinfo.__proto__'] as const,
    ...INVALID_CLONE_BODIES.map(([label, body, field]) => [label, JSON.stringify(body), field] as const),
  ])('answers 400 naming the field for %s and queues nothing', async (_label, body, field) => {
    // Prepare
    const before = await queuedMessages();
    // Act
    const res = await api('POST', '/v1/clones', body);
    // Assess
    expect(res.status).toBe(400);
    const error = res.json.error as { code: string; details: Array<{ field: string }> };
    expect(error.details.map((d) => d.field)).toContain(field);
    expect(await queuedMessages()).toBe(before);
  });

  it('refuses a request without the bearer token', async () => {
    // Act
    const res = await api('POST', '/v1/clones', JSON.stringify({ source: { moref: 'vm-1' } }), 'wrong-token');
    // Assess
    expect(res.status).toBe(401);
  });

  it('publishes an OpenAPI 3.1 document generated from the request schema', async () => {
    // Act
    const res = await fetch(`${stack.apiUrl}/v1/openapi.json`);
    const doc = (await res.json()) as {
      openapi: string;
      components: { schemas: { CloneRequest: { required: string[] } } };
    };
    // Assess
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.CloneRequest.required).toContain('source');
  });

  it('answers 404 for a job that does not exist', async () => {
    // Act
    const res = await api('GET', '/v1/clones/00000000-0000-0000-0000-000000000000');
    // Assess
    expect(res).toMatchObject({ status: 404, json: { error: { code: 'JOB_NOT_FOUND' } } });
  });
});
