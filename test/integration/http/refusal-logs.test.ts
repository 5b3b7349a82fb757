import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { apiClient } from '#test/support/api-client';
import { tapProcessOutput } from '#test/support/fuzz/refusal-logs';
import { genericHookHeaders, HOOK_SECRETS } from '#test/support/signed-requests';
import { startTestStack } from '#test/support/test-stack';

// Issue 17, log hygiene: an expected refusal (a 4xx, POOL_DEGRADED) is one line at info or warn with its code and no
// stack trace; before, a reused cursor answered 500 with a multi-kilobyte stack trace in the console.

type Entry = { level: string; message: string; code?: string; status?: number; service?: string; error?: unknown };

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let untap: () => void;
const lines: string[] = [];
const source = { path: '/DC0/vm/DC0_H0_VM0' };

/** The route functions' lines about requests written since `from`. */
const requestLines = (from: number): Entry[] =>
  lines
    .slice(from)
    .map((line) => JSON.parse(line) as Entry)
    .filter((e) => e.message === 'request refused' || e.message === 'request failed');

beforeAll(async () => {
  untap = tapProcessOutput((line) => lines.push(line));
  stack = await startTestStack({ logLevel: 'INFO', integrations: { genericHookSecret: HOOK_SECRETS.generic } });
  api = apiClient(stack);
});
afterAll(async () => {
  await stack?.close();
  untap?.();
});

describe('Refusals in the log (issue 17)', () => {
  it('logs a cursor reused with another filter as one info line with its code, no stack, and answers 400', async () => {
    // Prepare: two succeeded clones, so the first page of one has a cursor
    const posted = await api.call('POST', '/v1/clones', { source, count: 2, labels: { suite: 'logs' } });
    for (const job of posted.json.jobs as CloneJobView[]) await api.waitForFinished(job.jobId);
    const first = await api.call('GET', '/v1/clones?label=suite=logs&limit=1');
    const from = lines.length;
    // Act
    const reused = await api.call('GET', `/v1/clones?label=suite=other&limit=1&cursor=${String(first.json.cursor)}`);
    // Assess
    expect(reused.status).toBe(400);
    const logged = requestLines(from);
    expect(logged).toEqual([expect.objectContaining({ level: 'INFO', code: 'INVALID_CURSOR', status: 400 })]);
    expect(JSON.stringify(logged)).not.toMatch(/\bat .*\.[jt]s:\d+|"stack"/);
  });

  it.each([
    { kind: 'a body that is not JSON', method: 'POST', path: '/v1/clones', body: '{', code: 'INVALID_JSON' },
    { kind: 'text/plain', method: 'POST', path: '/v1/clones', body: 'x', code: 'UNSUPPORTED_MEDIA_TYPE' },
    { kind: 'an unknown job', method: 'GET', path: `/v1/clones/${randomUUID()}`, code: 'JOB_NOT_FOUND' },
    { kind: 'a wrong signature', method: 'POST', path: '/v1/hooks/generic', body: '{}', code: 'SIGNATURE_INVALID' },
  ])('logs $kind as one line at info or warn with $code and no stack', async ({ method, path, body, code }) => {
    // Prepare
    const from = lines.length;
    const headers: Record<string, string> = path.startsWith('/v1/hooks')
      ? { ...genericHookHeaders('{"other":1}'), 'content-type': 'application/json' }
      : { 'content-type': body === 'x' ? 'text/plain' : 'application/json' };
    // Act
    const res = await api.call(method, path, body, headers);
    // Assess
    expect(res.json).toMatchObject({ error: { code } });
    const logged = requestLines(from);
    expect(logged).toEqual([expect.objectContaining({ message: 'request refused', code, status: res.status })]);
    expect(['INFO', 'WARN']).toContain(logged[0]?.level);
    expect(logged[0]).not.toHaveProperty('error');
    expect(JSON.stringify(logged)).not.toMatch(/\bat .*\.[jt]s:\d+|"stack"/);
  });

  it('logs a claim on a degraded pool at warn with POOL_DEGRADED and no stack, and answers 503', async () => {
    // Prepare: a pool whose source does not exist fails three clones in a row and is marked degraded
    await api.call('PUT', '/v1/pools/no-source', { source: { moref: 'vm-999999' }, spare: 3 });
    for (let i = 0; i < 200; i++) {
      const pool = await api.call('GET', '/v1/pools/no-source');
      if ((pool.json as { status?: { degraded?: boolean } }).status?.degraded) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const from = lines.length;
    // Act
    const claim = await api.call('POST', '/v1/pools/no-source/claim', {});
    // Assess
    expect(claim).toMatchObject({ status: 503, json: { error: { code: 'POOL_DEGRADED' } } });
    const logged = requestLines(from);
    expect(logged).toEqual([expect.objectContaining({ level: 'WARN', code: 'POOL_DEGRADED', status: 503 })]);
    expect(JSON.stringify(logged)).not.toMatch(/\bat .*\.[jt]s:\d+|"stack"/);
  });
});
