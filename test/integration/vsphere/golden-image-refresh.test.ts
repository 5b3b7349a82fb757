import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { createVimClient, type MoRef, type VimClient } from '#shared/vsphere/index';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let operator: VimClient;
const soon = () => Date.now() + 10_000;

/** What a CI farm's weekly image build does: a new VM named `golden` in /DC0/vm (a new moref each time). */
const buildGolden = async (): Promise<MoRef<'VirtualMachine'>> => {
  const base = (await operator.findByInventoryPath('/DC0/vm/DC0_H0_VM0')) as MoRef<'VirtualMachine'>;
  const info = await operator.waitForTask(await operator.instantClone(base, { name: 'golden' }), { deadline: soon() });
  if (info.state !== 'success' || !info.result) throw new Error(`golden image build ended ${info.state}`);
  return info.result as MoRef<'VirtualMachine'>;
};

const retireGolden = async (golden: MoRef<'VirtualMachine'>): Promise<void> => {
  await operator.waitForTask(await operator.powerOff(golden), { deadline: soon() });
  await operator.waitForTask(await operator.destroy(golden), { deadline: soon() });
};

beforeAll(async () => {
  stack = await startTestStack();
  operator = createVimClient({
    url: stack.vcenterUrl,
    credentials: async () => ({ username: 'image-builder', password: 'x' }),
  });
});

afterAll(async () => {
  await operator?.logout();
  await stack?.close();
});

describe('Golden-image refresh on one warm worker', () => {
  it('clones from /DC0/vm/golden before and after the image is destroyed and re-created', async () => {
    // Prepare
    const api = apiClient(stack);
    const body = { source: { path: '/DC0/vm/golden' }, nics: [{ key: 4000, connected: false }] };
    const oldGolden = await buildGolden();
    const first = await api.call('POST', '/v1/clones', body);
    const before = await api.waitForFinished(String(first.json.jobId));

    // Act
    await retireGolden(oldGolden);
    const newGolden = await buildGolden();
    const depth = () => stack.vcsim?.sim.getVm(newGolden.value)?.deltaDiskDepth ?? 0;
    const depthBefore = depth();
    const second = await api.call('POST', '/v1/clones', body);
    const after = await api.waitForFinished(String(second.json.jobId));

    // Assess
    expect(newGolden.value).not.toBe(oldGolden.value);
    expect(before).toMatchObject({ status: 'SUCCEEDED' });
    expect(after).toMatchObject({ status: 'SUCCEEDED' });
    // Each instant clone of a running source stacks one delta disk on that source: the second came from the new one.
    expect(depth()).toBe(depthBefore + 1);
    expect(stack.vcsim?.sim.findVmByName(after.vmName)?.moref).toBe(after.vm?.moref);
  });
});
