import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalLogger } from '#local/local-logger';
import { type LocalStack, startLocalStack } from '#local/stack';

/**
 * Security check: no secret reaches a log line or an event. Runs the whole flow in this process at DEBUG level with
 * every byte written to stdout and stderr recorded (the functions' Powertools loggers write there), plus the local
 * runtime's own logger and the events file, through the paths that log the most: a success, a vCenter fault, a lost
 * session, a connection reset, a refused token and a refused body.
 */
const password = `pw-${randomBytes(16).toString('hex')}`;
const apiToken = `tok-${randomBytes(16).toString('hex')}`;
const wrongToken = `wrong-${randomBytes(16).toString('hex')}`;
const SECRETS = { 'vCenter password': password, 'API token': apiToken, 'refused bearer token': wrongToken };

const lines: string[] = [];
const record = (chunk: unknown) => lines.push(...String(chunk).split('\n'));
const recordingLogger: LocalLogger = {
  info: (message, extra) => record(`${message} ${JSON.stringify(extra ?? {})}`),
  warn: (message, extra) => record(`${message} ${JSON.stringify(extra ?? {}, errorFields)}`),
  error: (message, extra) => record(`${message} ${JSON.stringify(extra ?? {}, errorFields)}`),
};
function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

const originalWrites = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};
let stack: LocalStack;
let dataDir: string;

const post = (body: unknown, token = apiToken) =>
  fetch(`${stack.apiUrl}/v1/clones`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const finished = async (jobId: string): Promise<string> => {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${stack.apiUrl}/v1/clones/${jobId}`, { headers: { authorization: `Bearer ${apiToken}` } });
    const { status } = (await res.json()) as { status: string };
    if (status === 'SUCCEEDED' || status === 'FAILED') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
};

beforeAll(async () => {
  // Recorded, not echoed: a DEBUG-level run would bury the test report.
  const capture = ((chunk: unknown, ...rest: unknown[]) => {
    record(chunk);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  dataDir = await mkdtemp(join(tmpdir(), 'instaclone-secrets-'));
  stack = await startLocalStack({
    dataDir,
    apiToken,
    simulator: { taskDurationMs: 20, username: 'svc-instaclone', password },
    workerTimeoutMs: 10_000,
    visibilityTimeoutSeconds: 1,
    logger: recordingLogger,
    // The most talkative level: a secret in a debug line leaks as soon as someone turns debugging on.
    logLevel: 'DEBUG',
    printEvent: (line) => record(line),
  });
});

afterAll(async () => {
  await stack?.close();
  process.stdout.write = originalWrites.out;
  process.stderr.write = originalWrites.err;
  await rm(dataDir, { recursive: true, force: true });
});

describe('Security: secrets never reach logs or events', () => {
  it('logs no password or token through success, faults, session loss, resets and refused requests', async () => {
    // Prepare
    const sim = stack.vcsim?.sim;
    const source = { path: '/DC0/vm/DC0_H0_VM0' };
    // Act
    const ok = (await (await post({ source, guestinfo: { 'ci.job': '1' } })).json()) as { jobId: string };
    await finished(ok.jobId);
    sim?.expireSessions();
    sim?.injectFault({ method: 'InstantClone_Task', effect: 'connectionReset', count: 1 });
    sim?.injectFault({ method: 'InstantClone_Task', effect: 'sessionDrop', count: 1 });
    const retried = (await (await post({ source })).json()) as { jobId: string };
    await finished(retried.jobId);
    const off = sim?.findVmByName('DC0_H0_VM1');
    sim?.setPowerState(off?.moref ?? '', 'poweredOff');
    const failed = (await (await post({ source: { moref: off?.moref } })).json()) as { jobId: string };
    const failedStatus = await finished(failed.jobId);
    const refused = await post({ source }, wrongToken);
    const invalid = await post({ source, nics: [{ key: 'x' }] });
    const events = await readFile(join(dataDir, 'events.ndjson'), 'utf8');
    // Assess
    expect(failedStatus).toBe('FAILED');
    expect([refused.status, invalid.status]).toEqual([401, 400]);
    expect(lines.some((l) => l.includes('"level":"DEBUG"') || l.includes('"level":"WARN"'))).toBe(true);
    const leaks = Object.entries(SECRETS).flatMap(([what, secret]) =>
      [...lines, ...events.split('\n')].filter((l) => l.includes(secret)).map((l) => `${what}: ${l.slice(0, 200)}`),
    );
    expect(leaks).toEqual([]);
  });
});
