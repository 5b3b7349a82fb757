import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cloneRequestFromFlags, UsageError } from '../../../cli/clone-flags.js';
import { FollowTimeoutError, followJobs, makeProgress } from '../../../cli/follow-job.js';
import { EXIT, runCli } from '../../../cli/instaclone.js';
import { makeSigV4Signer, regionFromUrl } from '../../../cli/sigv4-signer.js';

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
};

describe('CLI: clone flags', () => {
  it('builds the whole request body from flags', () => {
    // Act
    const request = cloneRequestFromFlags({
      source: '/DC0/vm/golden',
      name: 'ci-1',
      folder: '/DC0/vm/ci',
      nic: ['4000=00:50:56:3a:12:34', 'Network adapter 2=auto'],
      guestinfo: ['ci.job=42', 'url=https://x/?a=b'],
      label: ['team=qa'],
      ttl: '30',
      'callback-url': 'https://ci.example.com/hook',
      'wait-for': 'ip',
    });
    // Assess
    expect(request).toEqual({
      source: { path: '/DC0/vm/golden' },
      name: 'ci-1',
      folder: '/DC0/vm/ci',
      nics: [
        { key: 4000, mac: '00:50:56:3a:12:34' },
        { label: 'Network adapter 2', mac: 'auto' },
      ],
      guestinfo: { 'ci.job': '42', url: 'https://x/?a=b' },
      labels: { team: 'qa' },
      ttlMinutes: 30,
      callbackUrl: 'https://ci.example.com/hook',
      waitFor: 'ip',
    });
  });

  it('takes a moref source and lays flags over a request file', () => {
    // Act
    const request = cloneRequestFromFlags({ source: 'vm-42', count: '3', file: 'r.json' }, () =>
      JSON.stringify({ source: { path: '/x/y' }, labels: { a: '1' } }),
    );
    // Assess
    expect(request).toEqual({ source: { moref: 'vm-42' }, labels: { a: '1' }, count: 3 });
  });

  it.each([
    [{}, '--source is required'],
    [{ source: 'vm-1', label: ['novalue'] }, '--label wants key=value'],
    [{ source: 'vm-1', ttl: 'ten' }, '--ttl wants a whole number'],
  ])('refuses %j', (flags, message) => {
    // Act + Assess
    expect(() => cloneRequestFromFlags(flags)).toThrow(UsageError);
    expect(() => cloneRequestFromFlags(flags)).toThrow(message);
  });

  it('exits 2 with a hint when no API URL is configured', async () => {
    // Prepare
    const out = capture();
    const err = capture();
    // Act
    const code = await runCli(['get', 'job-1'], { env: {}, stdout: out.stream, stderr: err.stream });
    // Assess
    expect(code).toBe(EXIT.usage);
    expect(err.text()).toContain('INSTACLONE_API_URL');
  });
});

describe('CLI: following a job', () => {
  it('prints one plain line per status change when the output is not a terminal', async () => {
    // Prepare
    const err = capture();
    const states = ['QUEUED', 'QUEUED', 'RUNNING', 'SUCCEEDED'] as const;
    let call = 0;
    const api = {
      get: async (jobId: string) => ({ jobId, status: states[Math.min(call++, 3)], vmName: 'v' }),
    } as unknown as Parameters<typeof followJobs>[0];
    // Act
    const [job] = await followJobs(api, ['job-1'], {
      target: 'finished',
      timeoutMs: 10_000,
      progress: makeProgress(err.stream),
      sleep: async () => {},
    });
    // Assess
    expect(job?.status).toBe('SUCCEEDED');
    expect(
      err
        .text()
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(1).join(' ')),
    ).toEqual(['job-1 QUEUED', 'job-1 RUNNING', 'job-1 SUCCEEDED']);
  });

  it('prints a line whenever the attempt, its next start or its last error changes', async () => {
    // Prepare
    const err = capture();
    const lastError = { code: 'VCENTER_UNAVAILABLE', message: 'vCenter unreachable', at: '2026-11-25T12:00:00.000Z' };
    const views = [
      { status: 'RUNNING', attempts: 1 },
      { status: 'RUNNING', attempts: 1, lastError, nextAttemptAt: '2026-11-25T12:00:02.000Z' },
      { status: 'RUNNING', attempts: 1, lastError, nextAttemptAt: '2026-11-25T12:00:02.000Z' },
      { status: 'RUNNING', attempts: 2, lastError },
      { status: 'SUCCEEDED', attempts: 2, lastError },
    ];
    let call = 0;
    const api = {
      get: async (jobId: string) => ({ jobId, vmName: 'v', ...views[Math.min(call++, views.length - 1)] }),
    } as unknown as Parameters<typeof followJobs>[0];
    // Act
    await followJobs(api, ['job-1'], {
      target: 'finished',
      timeoutMs: 10_000,
      progress: makeProgress(err.stream),
      sleep: async () => {},
    });
    // Assess
    expect(
      err
        .text()
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(2).join(' ')),
    ).toEqual([
      'RUNNING',
      'RUNNING attempt 1, next at 2026-11-25T12:00:02Z after VCENTER_UNAVAILABLE: vCenter unreachable',
      'RUNNING attempt 2 after VCENTER_UNAVAILABLE: vCenter unreachable',
      'SUCCEEDED attempt 2',
    ]);
  });

  it('gives up with the last seen state after the timeout', async () => {
    // Prepare
    let now = 0;
    const api = { get: async (jobId: string) => ({ jobId, status: 'RUNNING', vmName: 'v' }) } as unknown as Parameters<
      typeof followJobs
    >[0];
    // Act
    const attempt = followJobs(api, ['job-2'], {
      target: 'finished',
      timeoutMs: 1_000,
      progress: makeProgress(capture().stream, true),
      sleep: async (ms) => {
        now += ms;
      },
      now: () => now,
    });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(FollowTimeoutError);
  });
});

describe('CLI: SigV4', () => {
  it('signs API requests for execute-api in the region of the API URL', async () => {
    // Prepare
    const url = new URL('https://abc123.execute-api.eu-west-1.amazonaws.com/v1/clones?status=SUCCEEDED');
    const sign = makeSigV4Signer(regionFromUrl(url) ?? '', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    // Act
    const headers = await sign({ method: 'GET', url, headers: { accept: 'application/json' } });
    // Assess
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});
