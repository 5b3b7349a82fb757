import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { startVcSim } from '#local/vcsim/index';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'instaclone-world-'));
});

afterAll(async () => {
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start's embedded simulator keeps its world under the data folder", () => {
  it('leaves the clone a job made in <data dir>/vcsim.json, where a restarted simulator finds it', async () => {
    // Prepare
    stack = await startTestStack({ dataDir, printEvent: () => {} });
    const api = apiClient(stack);
    const accepted = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' } });
    const job = await api.waitForFinished(String(accepted.json.jobId));
    // Act
    await stack.close();
    stack = undefined;
    const restarted = await startVcSim({ stateFile: join(dataDir, 'vcsim.json') });
    try {
      // Assess
      expect(job.status).toBe('SUCCEEDED');
      expect(restarted.sim.getVm(job.vm?.moref ?? '')).toMatchObject({
        name: job.vmName,
        powerState: 'poweredOn',
        extraConfig: { 'instaclone.jobId': job.jobId },
      });
    } finally {
      await restarted.close();
    }
  });
});
