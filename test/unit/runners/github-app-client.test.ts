import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { githubPrincipal, tokenPrincipal } from '#shared/access/model/principal';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { GithubAppClient } from '#shared/runners/adapters/github-app-client';
import { parseRunnerPools } from '#shared/runners/model/runner-pools';
import { JIT_CONFIG_GUESTINFO_KEY, makeRunnerGuestinfoResolver } from '#shared/runners/use-cases/runner-guestinfo';
import { type Reply, startLoopbackServer } from '../../support/loopback-server.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const scope = { kind: 'repo' as const, installationId: 77, owner: 'octo-org', repo: 'Hello-World' };
const jit = { name: 'instaclone-github-job-1', labels: ['self-hosted', 'linux'], runnerGroupId: 1 };

let server: Awaited<ReturnType<typeof startLoopbackServer>> | undefined;
afterEach(async () => server?.close());

/** A GitHub stand-in: installation tokens always work; `onRunners` answers the runner calls. */
const github = async (onRunners: (url: string, method: string, n: number) => Reply) => {
  let n = 0;
  server = await startLoopbackServer((req) =>
    req.url.startsWith('/app/installations/')
      ? { status: 201, body: { token: 'ghs_installation', expires_at: '2026-11-25T13:00:00Z' } }
      : onRunners(req.url, req.method, n++),
  );
  const client = new GithubAppClient({
    appId: '123456',
    privateKey: async () => pem,
    baseUrl: server.url,
    now: () => new Date('2026-11-25T12:00:00Z'),
  });
  return { client, requests: server.requests };
};

describe('GitHub App client', () => {
  it('signs an RS256 app JWT, trades it for an installation token, and generates a JIT config with it', async () => {
    // Prepare
    const { client, requests } = await github(() => ({
      status: 201,
      body: { runner: { id: 23, name: jit.name }, encoded_jit_config: 'ENCODED' },
    }));
    // Act
    const first = await client.generateJitConfig(scope, jit);
    await client.generateJitConfig(scope, jit);
    // Assess
    expect(first).toEqual({ runnerId: 23, encodedJitConfig: 'ENCODED' });
    const [tokenCall, jitCall] = requests;
    expect(requests.filter((r) => r.url.startsWith('/app/'))).toHaveLength(1);
    const [header, payload, signature] = String(tokenCall?.headers.authorization).replace('Bearer ', '').split('.');
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toEqual({
      iat: Date.parse('2026-11-25T12:00:00Z') / 1000 - 60,
      exp: Date.parse('2026-11-25T12:00:00Z') / 1000 + 540,
      iss: '123456',
    });
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(pem),
        Buffer.from(signature ?? '', 'base64url'),
      ),
    ).toBe(true);
    expect(jitCall).toMatchObject({
      method: 'POST',
      url: '/repos/octo-org/Hello-World/actions/runners/generate-jitconfig',
      headers: { authorization: 'token ghs_installation' },
    });
    expect(JSON.parse(jitCall?.body ?? '')).toEqual({
      name: jit.name,
      runner_group_id: 1,
      labels: jit.labels,
      work_folder: '_work',
    });
  });

  it.each([
    [404, {}, 'GITHUB_NOT_FOUND', false],
    [422, {}, 'GITHUB_REJECTED', false],
    [403, { 'x-ratelimit-remaining': '0' }, 'GITHUB_RATE_LIMITED', true],
    [429, { 'retry-after': '60' }, 'GITHUB_RATE_LIMITED', true],
    [403, {}, 'GITHUB_REJECTED', false],
    [502, {}, 'GITHUB_UNAVAILABLE', true],
  ])('turns a %i answer into %s', async (status, headers, code, retryable) => {
    // Prepare
    const { client } = await github(() => ({ status, headers, body: { message: 'nope' } }));
    // Act
    const attempt = client.generateJitConfig(scope, jit);
    // Assess
    await expect(attempt).rejects.toMatchObject({ code, retryable, upstreamStatus: status });
  });

  it('registers at organisation level for an org pool', async () => {
    // Prepare
    const { client, requests } = await github(() => ({
      status: 201,
      body: { runner: { id: 1 }, encoded_jit_config: 'E' },
    }));
    // Act
    await client.generateJitConfig({ kind: 'org', installationId: 77, org: 'octo-org' }, jit);
    // Assess
    expect(requests.at(-1)?.url).toBe('/orgs/octo-org/actions/runners/generate-jitconfig');
  });
});

describe('Runner guestinfo (worker hook)', () => {
  const pools = parseRunnerPools(
    JSON.stringify({
      version: '1',
      pools: [
        { name: 'linux', labels: ['self-hosted', 'linux'], source: { moref: 'vm-1' }, organizations: ['octo-org'] },
      ],
    }),
  );
  const runnerJob = {
    jobId: 'github-job-1',
    vmName: 'instaclone-github-job-1',
    requestedBy: githubPrincipal(77),
    request: {
      labels: { 'github.pool': 'linux', 'github.repo': 'octo-org/Hello-World', 'github.installation-id': '77' },
    },
  } as unknown as CloneJob;

  it('resolves nothing for a clone that is not a runner', async () => {
    // Prepare
    const { client, requests } = await github(() => ({ status: 500 }));
    const resolve = makeRunnerGuestinfoResolver({ pools, github: client });
    // Act
    const values = await resolve({ ...runnerJob, request: { labels: {} } } as unknown as CloneJob, {});
    // Assess
    expect(values).toEqual({});
    expect(requests).toEqual([]);
  });

  it("fails a runner clone as the worker's port says: GUEST_CONFIG_FAILED, GitHub's error as the cause", async () => {
    // Prepare
    const { client } = await github(() => ({ status: 429, headers: { 'retry-after': '60' }, body: {} }));
    const withApp = makeRunnerGuestinfoResolver({ pools, github: client });
    const withoutApp = makeRunnerGuestinfoResolver({ pools, github: undefined });
    // Act
    const limited = await withApp(runnerJob, {}).catch((err: unknown) => err);
    const unconfigured = await withoutApp(runnerJob, {}).catch((err: unknown) => err);
    // Assess
    expect(limited).toMatchObject({
      code: 'GUEST_CONFIG_FAILED',
      retryable: true,
      cause: { code: 'GITHUB_RATE_LIMITED', upstreamStatus: 429 },
    });
    expect(unconfigured).toMatchObject({
      code: 'GUEST_CONFIG_FAILED',
      retryable: false,
      cause: { code: 'SECRET_UNAVAILABLE' },
    });
  });

  it('replaces a runner registration left by an earlier attempt and returns the new JIT config', async () => {
    // Prepare
    const { client, requests } = await github((url, method, n) => {
      if (url.endsWith('generate-jitconfig')) {
        return n === 0
          ? { status: 409, body: { message: 'Already exists - A runner with the name already exists.' } }
          : { status: 201, body: { runner: { id: 24 }, encoded_jit_config: 'FRESH' } };
      }
      if (method === 'GET')
        return { status: 200, body: { total_count: 1, runners: [{ id: 23, name: 'instaclone-github-job-1' }] } };
      return { status: 204 };
    });
    const resolve = makeRunnerGuestinfoResolver({ pools, github: client });
    // Act
    const values = await resolve(runnerJob, {});
    // Assess
    expect(values).toMatchObject({
      [JIT_CONFIG_GUESTINFO_KEY]: 'FRESH',
      'guestinfo.instaclone.runner.name': 'instaclone-github-job-1',
    });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toContain(
      'DELETE /repos/octo-org/Hello-World/actions/runners/23',
    );
  });

  it.each([
    ['a job an API caller made with github.* labels', { requestedBy: tokenPrincipal('mallory') }, 'requestedBy'],
    ['a job of another installation than its labels say', { requestedBy: githubPrincipal(4242) }, 'requestedBy'],
    [
      'a job for a repository the pool does not serve',
      {
        request: {
          labels: { 'github.pool': 'linux', 'github.repo': 'victim-org/private-repo', 'github.installation-id': '77' },
        },
      },
      'labels.github.repo',
    ],
  ])('refuses %s without asking GitHub for a JIT config', async (_, change, field) => {
    // Prepare
    const { client, requests } = await github(() => ({ status: 201, body: { encoded_jit_config: 'LEAKED' } }));
    const resolve = makeRunnerGuestinfoResolver({ pools, github: client });
    // Act
    const error = await resolve({ ...runnerJob, ...change } as CloneJob, {}).catch((err: unknown) => err);
    // Assess
    expect(error).toMatchObject({
      code: 'GUEST_CONFIG_FAILED',
      retryable: false,
      cause: { code: 'ACCESS_DENIED', rule: 'runner-pools', issues: [{ field }] },
    });
    expect(requests).toEqual([]);
  });
});
