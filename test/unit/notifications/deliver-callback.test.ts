import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyTimestamped } from '#shared/http/hmac-signatures';
import { makeGuardedPoster } from '#shared/notifications/adapters/guarded-http-poster';
import { standardWebhooksSigner } from '#shared/notifications/adapters/standard-webhooks-signer';
import { makeDeliverCallback } from '#shared/notifications/use-cases/deliver-callback';
import { systemClock } from '#shared/runtime/runtime';
import { type Reply, startLoopbackServer } from '../../support/loopback-server.js';

const secret = 'callback-secret-0123456789';
const policy = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const local = makeGuardedPoster({ allowInsecureHttp: true, allowPrivateAddresses: true, timeoutMs: 300 });

let server: Awaited<ReturnType<typeof startLoopbackServer>> | undefined;
afterEach(async () => server?.close());

const deliverTo = async (reply: (n: number) => Reply, post = local) => {
  server = await startLoopbackServer((_req, n) => reply(n));
  const deliver = makeDeliverCallback({
    post,
    sign: standardWebhooksSigner(async () => secret),
    clock: systemClock,
    policy,
    random: () => 0.5,
  });
  return deliver({ url: `${server.url}/hook`, deliveryId: 'evt-1:SUCCEEDED', body: '{"job":{"jobId":"j-1"}}' });
};

describe('Signed callbacks', () => {
  it('delivers a Standard Webhook that the standardwebhooks library verifies, the delivery id as webhook-id', async () => {
    // Act
    const outcome = await deliverTo(() => ({ status: 204 }));
    // Assess
    expect(outcome).toMatchObject({ state: 'delivered', attempts: 1, status: 204 });
    const [request] = server?.requests ?? [];
    expect(request?.headers).toMatchObject({
      'webhook-id': 'evt-1:SUCCEEDED',
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
      'x-instaclone-delivery': 'evt-1:SUCCEEDED',
    });
    const receiver = new Webhook(secret, { format: 'raw' });
    expect(receiver.verify(request?.body ?? '', request?.headers as Record<string, string>)).toEqual({
      job: { jobId: 'j-1' },
    });
  });

  it('still sends the previous X-Instaclone-Signature for receivers written against it (deprecated)', async () => {
    // Act
    await deliverTo(() => ({ status: 204 }));
    // Assess
    const [request] = server?.requests ?? [];
    expect(() =>
      verifyTimestamped(
        secret,
        request?.body ?? '',
        {
          signature: String(request?.headers['x-instaclone-signature']),
          timestamp: String(request?.headers['x-instaclone-timestamp']),
        },
        new Date(),
      ),
    ).not.toThrow();
  });

  it('retries after a 500 and succeeds on the next attempt', async () => {
    // Act
    const outcome = await deliverTo((n) => ({ status: n === 0 ? 500 : 200 }));
    // Assess
    expect(outcome).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(server?.requests).toHaveLength(2);
  });

  it('stops after the attempt bound when the receiver keeps failing or timing out', async () => {
    // Act
    const failing = await deliverTo(() => ({ status: 503 }));
    await server?.close();
    const slow = await deliverTo(
      () => ({ status: 200, delayMs: 500 }),
      makeGuardedPoster({ allowInsecureHttp: true, allowPrivateAddresses: true, timeoutMs: 50 }),
    );
    // Assess
    expect(failing).toMatchObject({ state: 'failed', attempts: 3, status: 503 });
    expect(slow).toMatchObject({ state: 'failed', attempts: 3, reason: expect.stringContaining('no answer') });
  });

  it('gives up at once when the receiver answers 4xx', async () => {
    // Act
    const outcome = await deliverTo(() => ({ status: 410 }));
    // Assess
    expect(outcome).toMatchObject({ state: 'failed', attempts: 1, status: 410 });
  });

  it.each([
    ['a loopback address', 'https://127.0.0.1/hook'],
    ['a name resolving to loopback', 'https://localhost/hook'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['a private address', 'https://10.1.2.3/hook'],
    ['an IPv6 unique-local address', 'https://[fd00::1]/hook'],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['plain http', 'http://example.com/hook'],
  ])('refuses %s without connecting', async (_label, url) => {
    // Prepare
    const deliver = makeDeliverCallback({
      post: makeGuardedPoster(),
      sign: standardWebhooksSigner(async () => secret),
      clock: systemClock,
      policy,
    });
    // Act
    const outcome = await deliver({ url, deliveryId: 'd', body: '{}' });
    // Assess
    expect(outcome).toMatchObject({ state: 'refused', attempts: 0 });
  });
});
