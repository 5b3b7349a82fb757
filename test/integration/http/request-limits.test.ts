import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { apiClient } from '#test/support/api-client';
import { largestGuestinfoBytes, withGuestinfoBytes } from '#test/support/largest-requests';
import { startTestStack } from '#test/support/test-stack';

// Issue 17: items over DynamoDB's limit, and idempotency with big answers, through the real handlers.

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
const source = { path: '/DC0/vm/DC0_H0_VM0' };
const sevenTimes64k = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`v${i}`, 'x'.repeat(64 * 1024)]));

/** Every job labelled `run=<run>`, following the cursor to the end. */
const jobsOfRun = async (run: string): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('GET', `/v1/clones?label=run=${run}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    ids.push(...(page.json.jobs as CloneJobView[]).map((j) => j.jobId));
    cursor = page.json.cursor as string | undefined;
  } while (cursor);
  return ids;
};

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack);
});
afterAll(() => stack?.close());

describe('Request limits (issue 17)', () => {
  it('answers seven 64 KB guestinfo values with a 413 naming guestinfo, and stores nothing', async () => {
    // Act
    const res = await api.call('POST', '/v1/clones', { source, guestinfo: sevenTimes64k, labels: { run: 'seven' } });
    // Assess
    expect(res).toMatchObject({
      status: 413,
      json: { error: { code: 'PAYLOAD_TOO_LARGE', details: [{ field: 'guestinfo' }] } },
    });
    expect(await jobsOfRun('seven')).toEqual([]);
  });

  it('makes exactly 100 jobs for count 100 with the largest allowed guestinfo, however often it is retried', async () => {
    // Prepare
    const plain = CloneRequestSchema.parse({ source, count: 100, labels: { run: 'hundred' } });
    const { guestinfo } = withGuestinfoBytes(plain, largestGuestinfoBytes(plain));
    const body = { source, count: 100, labels: { run: 'hundred' }, guestinfo };
    const key = { 'idempotency-key': `hundred-${Date.now()}` };
    // Act
    const first = await api.call('POST', '/v1/clones', body, key);
    const again = await api.call('POST', '/v1/clones', body, key);
    const concurrent = await Promise.all([
      api.call('POST', '/v1/clones', body, key),
      api.call('POST', '/v1/clones', body, key),
    ]);
    // Assess
    const ids = (first.json.jobs as CloneJobView[]).map((j) => j.jobId);
    expect(first.status).toBe(202);
    expect(ids).toHaveLength(100);
    for (const retry of [again, ...concurrent]) {
      expect(retry.status).toBe(202);
      expect((retry.json.jobs as CloneJobView[]).map((j) => j.jobId)).toEqual(ids);
    }
    // A job the worker moves on while the listing pages may show twice (statuses are listed in turn), never not at all.
    expect(new Set(await jobsOfRun('hundred'))).toEqual(new Set(ids));
  });

  it('answers a count 100 request one kilobyte over that with a 413 naming count', async () => {
    // Prepare
    const plain = CloneRequestSchema.parse({ source, count: 100, labels: { run: 'over' } });
    const { guestinfo } = withGuestinfoBytes(plain, largestGuestinfoBytes(plain) + 1024);
    // Act
    const res = await api.call('POST', '/v1/clones', { source, count: 100, labels: { run: 'over' }, guestinfo });
    // Assess
    expect(res).toMatchObject({ status: 413, json: { error: { details: [{ field: 'count' }] } } });
    expect(await jobsOfRun('over')).toEqual([]);
  });

  it('answers a pool template whose clones would be too large with a 413 naming template.guestinfo', async () => {
    // Act
    const res = await api.call('PUT', '/v1/pools/too-big', {
      source,
      spare: 0,
      template: { guestinfo: sevenTimes64k },
    });
    const got = await api.call('GET', '/v1/pools/too-big');
    // Assess
    expect(res).toMatchObject({ status: 413, json: { error: { details: [{ field: 'template.guestinfo' }] } } });
    expect(got.status).toBe(404);
  });

  it('refuses a pool template with more labels than its clones can carry with a 400 naming template.labels', async () => {
    // Prepare
    const labels = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`l${i}`, 'v']));
    // Act
    const res = await api.call('PUT', '/v1/pools/many-labels', { source, spare: 0, template: { labels } });
    // Assess
    expect(res).toMatchObject({
      status: 400,
      json: { error: { details: [{ field: 'template.labels', message: expect.stringContaining('at most 18') }] } },
    });
  });

  it('stops a listing page at 3 MiB of jobs, whatever the limit, and gives the rest after the cursor', async () => {
    // Prepare: 25 jobs of about 190 KB each (4.7 MB in all)
    const plain = CloneRequestSchema.parse({ source, count: 25, labels: { run: 'heavy' } });
    const { guestinfo } = withGuestinfoBytes(plain, 190_000);
    const posted = await api.call('POST', '/v1/clones', { source, count: 25, labels: { run: 'heavy' }, guestinfo });
    // Act
    const first = await api.call('GET', '/v1/clones?label=run=heavy&limit=100');
    // Assess
    expect(posted.status).toBe(202);
    expect((first.json.jobs as unknown[]).length).toBeLessThan(25);
    expect(first.json.cursor).toBeDefined();
    expect(JSON.stringify(first.json).length).toBeLessThan(5 * 1024 * 1024);
    expect(new Set(await jobsOfRun('heavy')).size).toBe(25);
  });
});
