import { afterEach, describe, expect, it } from 'vitest';
import { makeGuardedPoster } from '#shared/notifications/adapters/guarded-http-poster';
import { SLOW_HEAD, startTricklingReceiver } from '#test/support/trickling-receiver';

const post = makeGuardedPoster({ allowInsecureHttp: true, allowPrivateAddresses: true, timeoutMs: 300 });
let receiver: Awaited<ReturnType<typeof startTricklingReceiver>> | undefined;
afterEach(async () => receiver?.close());

describe('Guarded poster: one deadline per attempt', () => {
  it('gives up on a receiver that trickles its answer head a byte at a time, though every read is quick', async () => {
    // Prepare: a byte every 20 ms keeps a per-read timeout of 300 ms from ever firing
    receiver = await startTricklingReceiver(SLOW_HEAD, 20);
    // Act
    const attempt = post(`${receiver.url}/hook`, '{}', {}, {});
    // Assess
    await expect(attempt).rejects.toMatchObject({
      code: 'TARGET_UNREACHABLE',
      message: expect.stringContaining('no answer within 300 ms'),
    });
  });

  it('answers with the status as soon as it has it, even when the body then trickles on', async () => {
    // Prepare: the head at once, then a body that would take 20 s
    receiver = await startTricklingReceiver(
      `HTTP/1.1 204 No Content\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(1000)}`,
      1,
    );
    // Act
    const answer = await post(`${receiver.url}/hook`, '{}', {}, {});
    // Assess
    expect(answer).toEqual({ status: 204 });
  });
});
