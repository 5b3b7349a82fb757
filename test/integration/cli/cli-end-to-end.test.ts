import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StackChild, spawnStack } from '#local/chaos/spawn-stack';
import { runCliInProcess } from '#test/support/cli-in-process';

const BIN = fileURLToPath(new URL('../../../cli/bin.mjs', import.meta.url));
const token = randomBytes(18).toString('base64url');
let stack: StackChild;

const cli = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, INSTACLONE_API_URL: stack.ready.apiUrl, INSTACLONE_API_TOKEN: token }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** The same CLI in this process (no tsx start-up per call), for the commands that need no exit-code plumbing. */
const cliInProcess = (args: string[]) =>
  runCliInProcess(args, { INSTACLONE_API_URL: stack.ready.apiUrl, INSTACLONE_API_TOKEN: token });

beforeAll(async () => {
  stack = await spawnStack({ apiToken: token, simulator: { taskDurationMs: 20 }, workerTimeoutMs: 10_000 });
}, 60_000);

afterAll(async () => {
  await stack?.stop(5_000);
});

describe('CLI end to end against a spawned local stack', () => {
  it('clones with --wait, prints the VM name, moref and MACs as JSON and exits 0', async () => {
    // Act
    const { code, stdout, stderr } = await cli([
      'clone',
      '--source',
      '/DC0/vm/DC0_H0_VM0',
      '--nic',
      '4000=00:50:56:3a:12:34',
      '--label',
      'suite=cli',
      '--wait',
      '--json',
    ]);
    // Assess
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const job = JSON.parse(stdout) as { status: string; vm: { moref: string; name: string; nics: unknown[] } };
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      vm: {
        moref: expect.stringMatching(/^vm-/),
        nics: [{ key: 4000, mac: '00:50:56:3a:12:34', addressType: 'manual' }],
      },
    });
  });

  it('exits 1 and names the fault when the clone fails', async () => {
    // Act
    const { code, stdout, stderr } = await cli(['clone', '--source', '/DC0/vm/no-such-vm', '--wait']);
    // Assess
    expect(code).toBe(1);
    expect(stdout).toContain('status   FAILED');
    expect(stderr).toMatch(/failed: \w+/);
  });

  it('lists, destroys with --wait and gets a job in plain text', async () => {
    // Prepare
    const made = JSON.parse(
      (await cliInProcess(['clone', '--source', '/DC0/vm/DC0_H0_VM1', '--label', 'suite=cli', '--json'])).stdout,
    ) as { jobId: string };
    await cliInProcess(['wait', made.jobId]);
    // Act
    const listed = await cliInProcess(['list', '--label', 'suite=cli', '--json']);
    const destroyed = await cliInProcess(['destroy', made.jobId, '--wait']);
    const shown = await cliInProcess(['get', made.jobId]);
    // Assess
    expect((JSON.parse(listed.stdout) as { jobs: Array<{ jobId: string }> }).jobs.map((j) => j.jobId)).toContain(
      made.jobId,
    );
    expect(destroyed.code).toBe(0);
    expect(shown.stdout).toMatch(/status\s+DESTROYED/);
  });

  it('sends repeated --status and --label as the API reads them: any of the statuses, all of the labels', async () => {
    // Prepare: a succeeded and a failed clone labelled env=a, and a succeeded one labelled env=b
    const clone = async (source: string, env: string) =>
      (
        JSON.parse(
          (
            await cliInProcess([
              'clone',
              '--source',
              source,
              '--label',
              'suite=multi',
              '--label',
              `env=${env}`,
              '--json',
            ])
          ).stdout,
        ) as { jobId: string }
      ).jobId;
    const made = [
      await clone('/DC0/vm/DC0_H0_VM1', 'a'),
      await clone('/DC0/vm/no-such-vm', 'a'),
      await clone('/DC0/vm/DC0_H0_VM1', 'b'),
    ];
    await cliInProcess(['wait', ...made]);
    // Act
    const listed = await cliInProcess([
      'list',
      ...['--status', 'SUCCEEDED', '--status', 'FAILED'],
      ...['--label', 'suite=multi', '--label', 'env=a'],
      '--all',
      '--json',
    ]);
    // Assess
    const jobs = (JSON.parse(listed.stdout) as { jobs: Array<{ jobId: string; status: string }> }).jobs;
    expect(jobs.map((j) => [j.jobId, j.status])).toEqual([
      [made[0], 'SUCCEEDED'],
      [made[1], 'FAILED'],
    ]);
  });

  it('claims a warm spare with --wait and releases it with --wait', async () => {
    // Prepare: a warm pool with one spare ready.
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.ready.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }).then((r) => r.json() as Promise<{ status?: { ready?: number } }>);
    await api('PUT', '/v1/pools/cli', { source: { path: '/DC0/vm/DC0_H0_VM0' }, spare: 1, max: 3 });
    for (let i = 0; i < 200 && ((await api('GET', '/v1/pools/cli')).status?.ready ?? 0) < 1; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Act
    const claimed = await cliInProcess(['claim', 'cli', '--claimed-by', 'build-42', '--wait', '--json']);
    const clone = JSON.parse(claimed.stdout) as { jobId: string; status: string; labels: Record<string, string> };
    const released = await cliInProcess(['release', 'cli', clone.jobId, '--wait', '--json']);
    // Assess
    expect(claimed.code).toBe(0);
    expect(clone).toMatchObject({ status: 'SUCCEEDED', labels: { 'instaclone.claimedBy': 'build-42' } });
    expect(released.code).toBe(0);
    expect(JSON.parse(released.stdout)).toMatchObject({ jobId: clone.jobId, status: 'DESTROYED' });
  });

  it('exits 3 with the API error when the token is wrong', async () => {
    // Act
    const { code, stderr } = await cliInProcess(['get', 'x', '--token', 'wrong-token-wrong-token']);
    // Assess
    expect(code).toBe(3);
    expect(stderr).toContain('401 UNAUTHORIZED');
  });
});
