import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { signTimestamped, verifyTimestamped } from '#shared/http/hmac-signatures';
import { startGithubStandIn } from '#test/support/github-stand-in';
import { startTestStack } from '#test/support/test-stack';
import { until } from '#test/support/until';
import { startLoopbackServer } from '../../support/loopback-server.js';

const SECRETS = {
  generic: 'generic-secret-0123456789',
  github: 'github-secret-0123456789',
  slack: 'slack-secret-0123456789',
};

let stack: LocalStack;
let receiver: Awaited<ReturnType<typeof startLoopbackServer>>;
let github: Awaited<ReturnType<typeof startGithubStandIn>>;

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${stack.apiUrl}${path}`, { method: 'POST', body, headers }).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as Record<string, unknown>,
  }));
const getJob = (jobId: string) =>
  fetch(`${stack.apiUrl}/v1/clones/${jobId}`, { headers: { authorization: `Bearer ${stack.apiToken}` } }).then(
    (r) => r.json() as Promise<Record<string, unknown>>,
  );

beforeAll(async () => {
  receiver = await startLoopbackServer(() => ({ status: 200 }));
  github = await startGithubStandIn();
  stack = await startTestStack({
    integrations: {
      genericHookSecret: SECRETS.generic,
      githubWebhookSecret: SECRETS.github,
      slackSigningSecret: SECRETS.slack,
      slackResponseOrigins: receiver.url,
      ...github.app,
      runnerPools: JSON.stringify({
        version: '1',
        pools: [
          {
            name: 'linux',
            labels: ['self-hosted', 'linux', 'x64'],
            source: { path: '/DC0/vm/DC0_H0_VM0' },
            organizations: ['octo-org'],
          },
        ],
      }),
    },
  });
});

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
  await github?.close();
});

describe('npm start with the signed routes and notifiers', () => {
  it('clones from a signed generic trigger and calls the callbackUrl back, signed, recording the outcome on the job', async () => {
    // Prepare
    const body = JSON.stringify({ source: { path: '/DC0/vm/DC0_H0_VM0' }, callbackUrl: `${receiver.url}/cb` });
    // Act
    const res = await post('/v1/hooks/generic', body, {
      'content-type': 'application/json',
      ...signTimestamped(SECRETS.generic, body, new Date()),
    });
    const callback = await until(() => receiver.requests.find((r) => r.url === '/cb'));
    const recorded = await until(async () => {
      const job = await getJob(String(res.json.jobId));
      return job.callbacks ? job : undefined;
    });
    // Assess
    expect(res.status).toBe(202);
    expect(JSON.parse(callback.body)).toMatchObject({
      type: 'Clone Succeeded',
      job: { jobId: res.json.jobId, status: 'SUCCEEDED' },
    });
    const headers = {
      signature: String(callback.headers['x-instaclone-signature']),
      timestamp: String(callback.headers['x-instaclone-timestamp']),
    };
    expect(() => verifyTimestamped(stack.callbackSigningSecret, callback.body, headers, new Date())).not.toThrow();
    expect(recorded.callbacks).toEqual({
      succeeded: {
        state: 'delivered',
        url: `${receiver.url}/cb`,
        attempts: 1,
        status: 200,
        at: expect.any(String),
        deliveryId: callback.headers['x-instaclone-delivery'],
      },
    });
  });

  it('clones a GitHub runner with a JIT config that reaches the VM but not the job, and destroys it on completed', async () => {
    // Prepare
    const queued = readFileSync(join(import.meta.dirname, '../../fixtures/github/workflow-job-queued.json'), 'utf8');
    const completed = readFileSync(
      join(import.meta.dirname, '../../fixtures/github/workflow-job-completed.json'),
      'utf8',
    );
    const headers = async (body: string, id: string) => ({
      'content-type': 'application/json',
      'x-github-event': 'workflow_job',
      'x-github-delivery': id,
      'x-hub-signature-256': await sign(SECRETS.github, body),
    });
    // Act
    const accepted = await post('/v1/hooks/github', queued, await headers(queued, 'q-1'));
    const job = await until(async () => {
      const j = await getJob('github-job-2832853555');
      return j.status === 'SUCCEEDED' || j.status === 'FAILED' ? j : undefined;
    });
    const vm = stack.vcsim?.sim.findVmByName('instaclone-github-job-2832853555');
    const done = await post('/v1/hooks/github', completed, await headers(completed, 'c-1'));
    const destroyed = await until(async () =>
      (await getJob('github-job-2832853555')).status === 'DESTROYED' ? true : undefined,
    );
    // Assess
    expect(accepted.json).toEqual({ outcome: 'submitted', jobId: 'github-job-2832853555', pool: 'linux' });
    expect(job.status).toBe('SUCCEEDED');
    expect(vm?.extraConfig['guestinfo.instaclone.runner.jitconfig']).toBe('JIT-CONFIG-FOR-TEST');
    expect(JSON.stringify(job)).not.toContain('JIT-CONFIG-FOR-TEST');
    expect(done.json).toEqual({ outcome: 'destroy-requested', jobId: 'github-job-2832853555' });
    expect(destroyed).toBe(true);
  });

  it('answers a Slack /clone at once and posts the outcome to its response_url', async () => {
    // Prepare
    const form = new URLSearchParams({
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      command: '/clone',
      text: '/DC0/vm/DC0_H0_VM1 slack-box',
      response_url: `${receiver.url}/slack/1`,
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', SECRETS.slack).update(`v0:${ts}:${form}`).digest('hex')}`;
    // Act
    const res = await post('/v1/chat/slack', form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signature,
    });
    const posted = await until(() => receiver.requests.find((r) => r.url === '/slack/1'));
    // Assess
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(JSON.parse(posted.body).text).toMatch(
      /^:white_check_mark: Clone `slack-box` of \/DC0\/vm\/DC0_H0_VM1 is up/,
    );
  });
});
