import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { StatsViewSchema } from '#shared/stats/api/stats-view-schema';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack);
});
afterAll(() => stack?.close());

describe('Console files and the v1 data behind the console, over HTTP', () => {
  it('serves the page at / without a token, locked down to its own origin', async () => {
    // Act
    const res = await fetch(stack.consoleUrl);
    const html = await res.text();
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('src="console/app.js"');
  });

  it('serves the built files compressed, revalidates them by ETag, and nothing else', async () => {
    // Act
    const script = await fetch(`${stack.consoleUrl}console/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    const body = await script.text();
    const again = await fetch(`${stack.consoleUrl}console/app.js`, {
      headers: { 'if-none-match': script.headers.get('etag') ?? '' },
    });
    const other = await fetch(`${stack.consoleUrl}console/..%2Fhandler.ts`);
    // Assess
    expect(script.status).toBe(200);
    expect(script.headers.get('content-encoding')).toBe('gzip');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(body.length).toBeGreaterThan(10_000);
    expect(again.status).toBe(304);
    expect(other.status).toBe(404);
  });

  it('lists jobs of every status newest first', async () => {
    // Prepare
    const first = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' } });
    await api.waitForFinished(String(first.json.jobId));
    const second = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM1' } });
    // Act
    const listed = await api.call('GET', '/v1/clones?order=newest&limit=2');
    // Assess
    expect((listed.json.jobs as CloneJobView[]).map((job) => job.jobId)).toEqual([second.json.jobId, first.json.jobId]);
  });

  it('answers /v1/stats from job timestamps: counts, accept → SUCCEEDED, sources', async () => {
    // Prepare
    const submitted = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_C0_RP0_VM0' }, count: 2 });
    for (const job of submitted.json.jobs as CloneJobView[]) await api.waitForFinished(job.jobId);
    // Act
    const answer = await api.call('GET', '/v1/stats?window=15m');
    // Assess
    expect(answer.status).toBe(200);
    const stats = StatsViewSchema.parse(answer.json);
    expect(stats.series).toHaveLength(60);
    expect(stats.window.bucketSeconds).toBe(15);
    expect(stats.totals.accepted).toBeGreaterThanOrEqual(4);
    expect(stats.totals.acceptToSucceeded.count).toBeGreaterThanOrEqual(3);
    expect(stats.totals.taskTime.p50Ms).toBeGreaterThan(0);
    expect(stats.sources.map((use) => use.source)).toContainEqual({ path: '/DC0/vm/DC0_C0_RP0_VM0' });
  });

  it('refuses a bad window or an unknown parameter with a 400 that names it', async () => {
    // Act
    const answer = await api.call('GET', '/v1/stats?window=2d');
    const unknown = await api.call('GET', '/v1/stats?windw=1h');
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'window' }] } });
    expect(unknown.json).toMatchObject({
      error: { details: [{ field: 'windw', message: 'is not a query parameter of this route' }] },
    });
  });
});
