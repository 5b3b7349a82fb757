import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import type { PoolView } from '#shared/pools/model/pool-view';
import { apiClient } from '#test/support/api-client';
import { startGithubStandIn } from '#test/support/github-stand-in';
import { startTestStack } from '#test/support/test-stack';
import { until } from '#test/support/until';

const WEBHOOK_SECRET = 'github-secret-0123456789';
const JIT_KEY = 'guestinfo.instaclone.runner.jitconfig';
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/github', `${name}.json`), 'utf8')) as {
    workflow_job: Record<string, unknown>;
  };

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let github: Awaited<ReturnType<typeof startGithubStandIn>>;

beforeAll(async () => {
  github = await startGithubStandIn('WARM-JIT-CONFIG');
  stack = await startTestStack({
    poolScaleMs: 60_000,
    integrations: {
      githubWebhookSecret: WEBHOOK_SECRET,
      ...github.app,
      runnerPools: JSON.stringify({
        version: '1',
        pools: [
          {
            name: 'linux',
            labels: ['self-hosted', 'linux', 'x64'],
            source: { path: '/DC0/vm/DC0_H0_VM0' },
            organizations: ['octo-org'],
            warmPool: 'runners',
          },
        ],
      }),
    },
  });
  api = apiClient(stack);
});
afterAll(async () => {
  await stack?.close();
  await github?.close();
});

const pool = async () => (await api.call('GET', '/v1/pools/runners')).json as unknown as PoolView;
const job = async (jobId: string) => (await api.call('GET', `/v1/clones/${jobId}`)).json as unknown as CloneJobView;
const deliver = async (action: 'queued' | 'completed', deliveryId: string, runnerName?: string) => {
  const payload = fixture(`workflow-job-${action}`);
  if (runnerName) payload.workflow_job.runner_name = runnerName;
  const body = JSON.stringify(payload);
  const res = await fetch(`${stack.apiUrl}/v1/hooks/github`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'workflow_job',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': await sign(WEBHOOK_SECRET, body),
    },
  });
  return (await res.json()) as Record<string, string>;
};

describe('GitHub runners from a warm pool, through npm start', () => {
  it('hands a queued job a running spare with its JIT config, destroys it on completed and replenishes', async () => {
    // Prepare: two spares of the golden runner VM, running before any job is queued.
    await api.call('PUT', '/v1/pools/runners', { source: { path: '/DC0/vm/DC0_H0_VM0' }, spare: 2, max: 4 });
    await until(async () => ((await pool()).status.ready === 2 ? true : undefined), 10_000, 'two ready spares');
    // Act
    const claimed = await deliver('queued', 'warm-q-1');
    const configured = await until(
      async () => {
        const j = await job(claimed.jobId ?? '');
        return j.configuredAt ? j : undefined;
      },
      10_000,
      'the spare configured',
    );
    // A copy: the simulator's record changes when the VM is destroyed below.
    const vm = structuredClone(stack.vcsim?.sim.findVmByName(configured.vmName));
    const event = stack.bus.published.find(
      (e) => e['detail-type'] === 'Clone Configured' && e.detail.jobId === claimed.jobId,
    );
    const done = await deliver('completed', 'warm-c-1', `instaclone-${claimed.jobId}`);
    await until(
      async () => ((await job(claimed.jobId ?? '')).status === 'DESTROYED' ? true : undefined),
      10_000,
      'destroy',
    );
    const replenished = await until(
      async () => {
        const p = await pool();
        return p.status.ready === 2 && p.status.claimed === 0 ? p : undefined;
      },
      10_000,
      'two ready spares again',
    );
    // Assess
    expect(claimed).toMatchObject({ outcome: 'claimed', pool: 'linux', warmPool: 'runners' });
    expect(configured.labels).toMatchObject({ 'github.pool': 'linux', 'github.job-id': '2832853555' });
    expect(vm?.powerState).toBe('poweredOn');
    expect(vm?.extraConfig[JIT_KEY]).toBe('WARM-JIT-CONFIG');
    expect(vm?.extraConfig['guestinfo.instaclone.runner.name']).toBe(`instaclone-${claimed.jobId}`);
    expect(JSON.stringify(configured)).not.toContain('WARM-JIT-CONFIG');
    expect(event?.detail.durationMs).toBeGreaterThanOrEqual(0);
    const jitRequest = github.requests.find((r) => r.url.endsWith('/generate-jitconfig'));
    expect(JSON.parse(jitRequest?.body ?? '{}')).toMatchObject({ name: `instaclone-${claimed.jobId}` });
    expect(done).toEqual({ outcome: 'destroy-requested', jobId: claimed.jobId });
    expect(replenished.status).toMatchObject({ ready: 2, claimed: 0 });
  });

  it('clones a runner for the job when the warm pool has no spare ready', async () => {
    // Prepare
    await api.call('PUT', '/v1/pools/runners', { source: { path: '/DC0/vm/DC0_H0_VM0' }, spare: 0, max: 4 });
    await until(async () => ((await pool()).status.ready === 0 ? true : undefined), 15_000, 'no spares');
    // Act
    const outcome = await deliver('queued', 'warm-q-2');
    // Assess
    expect(outcome).toEqual({ outcome: 'submitted', jobId: 'github-job-2832853555', pool: 'linux' });
  });
});
