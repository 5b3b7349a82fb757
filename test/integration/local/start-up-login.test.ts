import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTsx, type TsxChild } from '#local/chaos/child-process';
import { closedPort } from '#test/support/closed-port';

/** `npm start`'s entry, run as `npm start` runs it. */
const RUN_ENTRY = fileURLToPath(new URL('../../../local/run.ts', import.meta.url));

const started: Array<{ child: TsxChild; dataDir: string }> = [];
afterEach(async () => {
  for (const { child, dataDir } of started.splice(0)) {
    await child.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

/** Starts `npm start` with `env` and resolves with its banner's login line. */
const npmStart = async (env: Record<string, string> = {}): Promise<string> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'instaclone-start-'));
  const { child, ready } = await spawnTsx(
    RUN_ENTRY,
    [],
    (line) => (/^\s+login\s+/.test(line) ? line.trim() : undefined),
    {
      env: {
        PORT: '0',
        INSTACLONE_DATA_DIR: dataDir,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      timeoutMs: 60_000,
    },
  );
  started.push({ child, dataDir });
  return ready;
};

describe('npm start: one vCenter login at start-up', () => {
  it('logs in to the embedded simulator and says so, with the API version', async () => {
    // Act
    const line = await npmStart();
    // Assess
    expect(line).toMatch(/^login\s+vCenter login ok: API \d+\.\d+\S* \(VirtualCenter\), \d+ ms$/);
  });

  it('says why not when vCenter refuses connections, naming the setting to check, and keeps running', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}/sdk`;
    // Act
    const line = await npmStart({ VCENTER_URL: url, VCENTER_USERNAME: 'u', VCENTER_PASSWORD: 'p' });
    // Assess
    expect(line).toMatch(/^login\s+vCenter login FAILED after \d+ ms: /);
    expect(line).toContain('check VCENTER_URL');
    expect(started[0]?.child.process.exitCode).toBeNull();
  });
});
