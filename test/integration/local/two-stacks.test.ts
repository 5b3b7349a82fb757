import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let first: LocalStack;
let second: LocalStack;

beforeAll(async () => {
  // Different credentials and caps, so a stack wired with the other's settings would fail or show it.
  [first, second] = await Promise.all([
    startTestStack({ simulator: { username: 'first', password: 'first-password' }, maxConcurrency: 2 }),
    startTestStack({ simulator: { username: 'second', password: 'second-password' }, maxConcurrency: 3 }),
  ]);
});

afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

describe('Local stacks: two in one process', () => {
  it('clones through both, each job in its own table, its VM in its own simulator and its event on its own bus', async () => {
    // Prepare
    const request = { source: { path: '/DC0/vm/DC0_H0_VM0' } };
    // Act
    const [a, b] = await Promise.all([
      apiClient(first).call('POST', '/v1/clones', request),
      apiClient(second).call('POST', '/v1/clones', request),
    ]);
    const jobA = await apiClient(first).waitForFinished(String(a.json.jobId));
    const jobB = await apiClient(second).waitForFinished(String(b.json.jobId));
    // Assess
    expect([jobA.status, jobB.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(first.vcsim?.sim.findVmByName(jobA.vmName)).toBeDefined();
    expect(first.vcsim?.sim.findVmByName(jobB.vmName)).toBeUndefined();
    expect(second.vcsim?.sim.findVmByName(jobB.vmName)).toBeDefined();
    expect((await apiClient(second).call('GET', `/v1/clones/${jobA.jobId}`)).status).toBe(404);
    const succeeded = (stack: LocalStack) =>
      stack.bus.published.filter((e) => e['detail-type'] === 'Clone Succeeded').map((e) => e.detail.jobId);
    expect(succeeded(first)).toEqual([jobA.jobId]);
    expect(succeeded(second)).toEqual([jobB.jobId]);
  });
});
