import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack, LocalStackOptions } from '#local/stack';
import { PolicySchema } from '#shared/access/model/policy';
import { type StatusReport, StatusReportSchema } from '#shared/status/model/status-report';
import { apiClient } from '#test/support/api-client';
import { closedPort } from '#test/support/closed-port';
import { shiftedClock } from '#test/support/shifted-clock';
import { startTestStack } from '#test/support/test-stack';

const source = { path: '/DC0/vm/DC0_H0_VM0' };

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const start = async (options: LocalStackOptions = {}) => {
  stack = await startTestStack(options);
  return { stack, api: apiClient(stack) };
};

const getStatus = async (s: LocalStack, token = s.apiToken) => {
  const res = await fetch(`${s.apiUrl}/v1/status`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('GET /v1/status: how the service is, for operators', () => {
  it("reports vCenter's login, the queues, jobs per status and how long the oldest unfinished job has waited", async () => {
    // Prepare: one clone done, one still RUNNING (2 s tasks) whose creation is two minutes ago by the functions' clock
    const clock = shiftedClock();
    const { stack, api } = await start({ clock, simulator: { taskDurationMs: 2_000 } });
    const done = (await api.call('POST', '/v1/clones', { source })).json.jobId as string;
    await api.waitForFinished(done, 15_000);
    const running = (await api.call('POST', '/v1/clones', { source })).json.jobId as string;
    await api.waitFor(running, (j) => j.task !== undefined, 10_000);
    clock.advance(120_000);
    // Act
    const { status, json } = await getStatus(stack);
    // Assess
    expect(status).toBe(200);
    const report: StatusReport = StatusReportSchema.parse(json);
    expect(report.vcenter).toMatchObject({ status: 'ok', apiType: 'VirtualCenter' });
    expect(report.vcenter.status === 'ok' && report.vcenter.apiVersion).toMatch(/^\d+\.\d+/);
    expect(report.jobs.byStatus).toMatchObject({ SUCCEEDED: 1, RUNNING: 1, QUEUED: 0, FAILED: 0 });
    expect(report.jobs.oldestUnfinished).toMatchObject({ jobId: running, status: 'RUNNING' });
    expect(report.jobs.oldestUnfinished?.ageSeconds).toBeGreaterThanOrEqual(120);
    expect(report.deadLetterQueue).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await api.waitForFinished(running, 15_000);
  });

  it('answers 200 naming the fix when vCenter refuses connections, and npm start said so at start-up', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}/sdk`;
    const { stack } = await start({ vcenter: { url, username: 'u', password: 'p' } });
    // Act
    const { status, json } = await getStatus(stack);
    // Assess
    expect(status).toBe(200);
    const report = StatusReportSchema.parse(json);
    expect(report.vcenter).toMatchObject({ status: 'error', error: { code: 'VCENTER_UNAVAILABLE' } });
    expect(report.vcenter.status === 'error' && report.vcenter.error.message).toContain('check VCENTER_URL');
    expect(report.jobs.oldestUnfinished).toBeUndefined();
    expect(stack.vcenterLogin).toMatchObject({ status: 'error', error: { code: 'VCENTER_UNAVAILABLE' } });
  });

  it('refuses a caller without a token (401) while /v1/health stays open and cheap', async () => {
    // Prepare
    const { stack } = await start();
    // Act
    const anonymous = await fetch(`${stack.apiUrl}/v1/status`);
    const health = await fetch(`${stack.apiUrl}/v1/health`);
    // Assess
    expect(anonymous.status).toBe(401);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('answers an admin of the policy and refuses (403) a caller the policy only lets clone', async () => {
    // Prepare
    const policy = PolicySchema.parse({
      version: '1',
      rules: [
        { id: 'ops', principals: [{ id: 'token:ops' }], actions: ['admin'] },
        { id: 'ci', principals: [{ id: 'token:ci' }], actions: ['clone', 'read'], resources: { sources: ['*'] } },
      ],
    });
    const tokens = { ops: 'ops-token-0123456789abcdef', ci: 'ci-token-0123456789abcdef' };
    const { stack } = await start({ policy, tokens });
    // Act
    const ops = await getStatus(stack, tokens.ops);
    const ci = await getStatus(stack, tokens.ci);
    // Assess
    expect(ops.status).toBe(200);
    expect(StatusReportSchema.safeParse(ops.json).success).toBe(true);
    expect(ci.status).toBe(403);
    expect(ci.json).toMatchObject({ error: { code: 'ACCESS_DENIED' } });
  });
});
