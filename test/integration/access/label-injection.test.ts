import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { startGithubStandIn } from '#test/support/github-stand-in';
import { genericHookHeaders, HOOK_SECRETS, slackHookHeaders } from '#test/support/signed-requests';
import { startTestStack } from '#test/support/test-stack';

/** The attack of issue 15: an ordinary caller labels a clone of its choosing as a runner of someone else's repo. */
const ATTACK = {
  source: { path: '/DC0/vm/DC0_H0_VM1' },
  labels: { 'github.pool': 'linux', 'github.repo': 'victim-org/private-repo', 'github.installation-id': '4242' },
};

let stack: LocalStack;
let github: Awaited<ReturnType<typeof startGithubStandIn>>;

const post = async (path: string, body: string, headers: Record<string, string>) => {
  const res = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  github = await startGithubStandIn('JIT-FOR-THE-VICTIM');
  // No policy at all: the namespaces hold regardless.
  stack = await startTestStack({
    integrations: {
      genericHookSecret: HOOK_SECRETS.generic,
      slackSigningSecret: HOOK_SECRETS.slack,
      ...github.app,
      runnerPools: JSON.stringify({
        version: '1',
        pools: [
          {
            name: 'linux',
            labels: ['self-hosted', 'linux'],
            source: { path: '/DC0/vm/DC0_H0_VM0' },
            repositories: ['victim-org/private-repo'],
          },
        ],
      }),
    },
  });
});

afterAll(async () => {
  await stack?.close();
  await github?.close();
});

describe('The label-injection attack of issue 15 (no policy configured)', () => {
  it('is refused through the API with the generated token: 403 naming the label, nothing queued', async () => {
    // Act
    const answer = await post('/v1/clones', JSON.stringify(ATTACK), {
      authorization: `Bearer ${stack.apiToken}`,
      'content-type': 'application/json',
    });
    // Assess
    expect(answer).toMatchObject({
      status: 403,
      json: {
        error: { code: 'ACCESS_DENIED', rule: 'reserved-namespace', details: [{ field: 'labels.github.pool' }] },
      },
    });
  });

  it('is refused through the generic hook', async () => {
    // Act
    const body = JSON.stringify(ATTACK);
    const answer = await post('/v1/hooks/generic', body, genericHookHeaders(body));
    // Assess
    expect(answer).toMatchObject({ status: 403, json: { error: { rule: 'reserved-namespace' } } });
  });

  it('is refused through Slack', async () => {
    // Act
    const form = new URLSearchParams({
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      text: '/DC0/vm/DC0_H0_VM1 label.github.pool=linux label.github.repo=victim-org/private-repo',
      response_url: `${github.url}/slack`,
    }).toString();
    const answer = await post('/v1/chat/slack', form, slackHookHeaders(form));
    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.json.text)).toMatch(/^Not allowed: .*reserved-namespace.*\(labels\.github\.pool\)$/);
  });

  it('never asked GitHub for a runner config, and stored no job', async () => {
    // Act
    await stack.idle();
    const jobs = await fetch(`${stack.apiUrl}/v1/clones`, { headers: { authorization: `Bearer ${stack.apiToken}` } });
    // Assess
    expect(github.requests).toEqual([]);
    expect(((await jobs.json()) as { jobs: unknown[] }).jobs).toEqual([]);
  });
});
