import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { standardWebhooksSigner } from '#shared/notifications/adapters/standard-webhooks-signer';
import { startTestStack } from '#test/support/test-stack';
import { until } from '#test/support/until';
// @ts-expect-error: the example is plain JavaScript, as a receiver's author would write it
import { startCallbackReceiver } from '../../../examples/pipelines/callback-receiver.mjs';

type Receiver = { url: string; close(): Promise<void> };
type Delivery = { type: string; deliveryId: string; job: { jobId: string; status: string } };

let stack: LocalStack;
let receiver: Receiver;
const delivered: Delivery[] = [];

const send = (body: string, headers: Record<string, string>) =>
  fetch(`${receiver.url}/cb`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const signed = (body: string, at = new Date()) =>
  standardWebhooksSigner(async () => stack.callbackSigningSecret)({ id: 'msg-1', body, at });

beforeAll(async () => {
  stack = await startTestStack();
  receiver = (await startCallbackReceiver({
    secret: stack.callbackSigningSecret,
    onEvent: (body: Delivery) => delivered.push(body),
  })) as Receiver;
});

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

describe('Callbacks as Standard Webhooks, verified by the example receiver with the standardwebhooks library', () => {
  it("delivers a clone's completion that the receiver verifies with npm start's whsec_ secret as it is", async () => {
    // Prepare
    const request = { source: { path: '/DC0/vm/DC0_H0_VM0' }, callbackUrl: `${receiver.url}/cb` };
    // Act
    const res = await fetch(`${stack.apiUrl}/v1/clones`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const { jobId } = (await res.json()) as { jobId: string };
    const delivery = await until(() => delivered.find((d) => d.job.jobId === jobId));
    // Assess
    expect(stack.callbackSigningSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(delivery).toMatchObject({ type: 'Clone Succeeded', job: { jobId, status: 'SUCCEEDED' } });
  });

  it('refuses a body changed after signing', async () => {
    // Prepare
    const headers = await signed('{"version":"1","type":"Clone Succeeded"}');
    // Act
    const res = await send('{"version":"1","type":"Clone Destroyed"}', headers);
    // Assess
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('No matching signature found');
  });

  it('refuses a delivery signed more than five minutes ago (a replay)', async () => {
    // Prepare
    const body = '{"version":"1","type":"Clone Succeeded"}';
    const headers = await signed(body, new Date(Date.now() - 6 * 60_000));
    // Act
    const res = await send(body, headers);
    // Assess
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('Message timestamp too old');
  });

  it('refuses a delivery without the Standard Webhooks headers, even with the deprecated signature', async () => {
    // Prepare
    const body = '{"version":"1","type":"Clone Succeeded"}';
    const { 'webhook-signature': _dropped, ...rest } = await signed(body);
    // Act
    const res = await send(body, rest);
    // Assess
    expect(res.status).toBe(401);
  });
});
