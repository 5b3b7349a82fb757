import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { macRangesSetting, macToNumber } from '#shared/clones/model/mac-ranges';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

const CI = { name: 'ci', first: '00:50:56:10:00:00', last: '00:50:56:10:00:ff' };
const TINY = { name: 'tiny', first: '00:50:56:20:00:00', last: '00:50:56:20:00:01' };
const SOLO = { name: 'solo', first: '00:50:56:21:00:07', last: '00:50:56:21:00:07' };
const source = { path: '/DC0/vm/DC0_H0_VM0' };
const withMac = (mac: string, extra: Record<string, unknown> = {}) => ({
  source,
  nics: [{ key: 4000, mac }],
  ...extra,
});

beforeAll(async () => {
  stack = await startTestStack({ macRanges: macRangesSetting([CI, TINY, SOLO]), maxConcurrency: 8 });
  api = apiClient(stack);
});

afterAll(async () => {
  await stack?.close();
});

/** The registry's record of a MAC (`MAC#<mac>` in the job table): with `jobId` while a job holds it. */
const macRecord = async (mac: string) =>
  (
    await stack.dynamo
      .client()
      .send(new GetItemCommand({ TableName: stack.dynamo.tableName, Key: { pk: { S: `MAC#${mac}` } } }))
  ).Item;
const submit = (body: unknown) => api.call('POST', '/v1/clones', body);
const jobOf = (answer: { json: Record<string, unknown> }) => answer.json as unknown as CloneJobView;

describe('MAC conflicts and managed ranges, through the API on dynalite', () => {
  it('gives 100 concurrent submits from one range 100 different MACs of it, and each clone its own', async () => {
    // Act
    const answers = await Promise.all(Array.from({ length: 100 }, () => submit(withMac('range:ci'))));
    const finished = await Promise.all(answers.map((a) => api.waitForFinished(jobOf(a).jobId, 30_000)));
    // Assess
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(202));
    const allocated = answers.map((a) => jobOf(a).macs?.[0]);
    expect(allocated.every((m) => m?.range === 'ci' && m.key === 4000)).toBe(true);
    const macs = allocated.map((m) => m?.mac ?? '');
    expect(new Set(macs).size).toBe(100);
    expect(macs.every((m) => macToNumber(m) >= macToNumber(CI.first) && macToNumber(m) <= macToNumber(CI.last))).toBe(
      true,
    );
    expect(finished.map((j) => j.status)).toEqual(Array(100).fill('SUCCEEDED'));
    expect(finished.map((j) => j.vm?.nics.find((n) => n.key === 4000)?.mac)).toEqual(macs);
  }, 60_000);

  it('refuses a manual MAC a live clone holds with a 409 naming the field, and accepts it once that clone is destroyed', async () => {
    // Prepare
    const first = jobOf(await submit(withMac('00:50:56:3a:00:01')));
    await api.waitForFinished(first.jobId);
    // Act
    const refused = await submit(withMac('00:50:56:3A:00:01'));
    await api.call('DELETE', `/v1/clones/${first.jobId}`);
    await api.waitFor(first.jobId, (j) => j.status === 'DESTROYED');
    const again = await submit(withMac('00:50:56:3a:00:01'));
    await api.waitForFinished(jobOf(again).jobId);
    // Assess
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      error: {
        code: 'MAC_IN_USE',
        details: [
          { field: 'nics.0.mac', message: '00:50:56:3a:00:01 is already used by another live clone of this service' },
        ],
      },
    });
    expect(again.status).toBe(202);
  });

  it('gives a range MAC back when its clone is destroyed, and the next clone of the range gets it', async () => {
    // Prepare
    const first = jobOf(await submit(withMac('range:solo')));
    await api.waitForFinished(first.jobId);
    const whileHeld = await submit(withMac('range:solo'));
    // Act
    await api.call('DELETE', `/v1/clones/${first.jobId}`);
    await api.waitFor(first.jobId, (j) => j.status === 'DESTROYED');
    const released = await macRecord(SOLO.first);
    const again = await submit(withMac('range:solo'));
    const second = await api.waitForFinished(jobOf(again).jobId);
    // Assess
    expect(first.macs).toEqual([{ key: 4000, mac: SOLO.first, range: 'solo' }]);
    expect(whileHeld.status).toBe(409);
    expect(released?.jobId).toBeUndefined();
    expect(again.status).toBe(202);
    expect(second.status).toBe('SUCCEEDED');
    expect(second.vm?.nics.find((n) => n.key === 4000)?.mac).toBe(SOLO.first);
  });

  it('frees the MAC of a job that failed without a clone', async () => {
    // Prepare
    stack.vcsim?.sim.injectFault({
      method: 'InstantClone_Task',
      effect: 'taskFault',
      fault: 'InvalidState',
      count: 1,
      delayMs: 200,
    });
    const failed = jobOf(await submit(withMac('00:50:56:3a:00:02')));
    const held = await macRecord('00:50:56:3a:00:02');
    expect((await api.waitForFinished(failed.jobId)).status).toBe('FAILED');
    // Act
    const released = await macRecord('00:50:56:3a:00:02');
    const again = await submit(withMac('00:50:56:3a:00:02'));
    // Assess
    expect(held).toMatchObject({ jobId: { S: failed.jobId } });
    expect(released).toEqual({ pk: { S: 'MAC#00:50:56:3a:00:02' }, mac: { S: '00:50:56:3a:00:02' } });
    expect(again.status).toBe(202);
  });

  it('answers an unknown range with a 400 naming the field and the ranges there are', async () => {
    // Act
    const answer = await submit(withMac('range:lab'));
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: [{ field: 'nics.0.mac', message: 'names no managed MAC range (configured: ci, tiny, solo)' }],
      },
    });
  });

  it('answers an exhausted range with a 409, and a count it cannot serve whole stores nothing and holds nothing', async () => {
    // Act
    const tooMany = await submit(withMac('range:tiny', { count: 3 }));
    const both = await Promise.all([submit(withMac('range:tiny')), submit(withMac('range:tiny'))]);
    const third = await submit(withMac('range:tiny'));
    // Assess
    expect(tooMany.status).toBe(409);
    expect(both.map((a) => a.status)).toEqual([202, 202]);
    expect(third.status).toBe(409);
    expect(third.json).toMatchObject({
      error: {
        code: 'MAC_RANGE_EXHAUSTED',
        message:
          'MAC range "tiny" has no free MAC: all 2 of its MACs are held by live clones; destroy some or widen the range',
        details: [{ field: 'nics.0.mac' }],
      },
    });
  });
});
