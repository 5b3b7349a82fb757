import { afterEach, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { createVimClient, type MoRef, type VimClient, VimTransportError } from '#shared/vsphere/index';

const credentials = async () => ({ username: 'svc-ic@vsphere.local', password: 'secret' });

async function sourceOf(vim: VimClient): Promise<MoRef<'VirtualMachine'>> {
  return (await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0')) as MoRef<'VirtualMachine'>;
}

describe('vim25 client against the vCenter simulator: edges', () => {
  let vc: VcSimHandle | undefined;
  const clients: VimClient[] = [];
  const client = (options: Partial<Parameters<typeof createVimClient>[0]> = {}) => {
    const vim = createVimClient({ url: vc?.url ?? '', credentials, ...options });
    clients.push(vim);
    return vim;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout()));
    await vc?.close();
    vc = undefined;
  });

  it('reports wrong credentials as a terminal InvalidLogin fault', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 10, username: 'svc-ic', password: 'right' });
    const vim = client({ credentials: async () => ({ username: 'svc-ic', password: 'wrong' }) });

    // Act
    const error = await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0').catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_FAULT', faultType: 'InvalidLogin', retryable: false });
  });

  it('returns a still-running task when the deadline comes first, and resumes it from a new client', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 1_500 });
    const first = client();
    const task = await first.instantClone(await sourceOf(first), { name: 'ic-slow' });

    // Act
    const early = await first.waitForTask(task, { deadline: Date.now() + 200 });
    const later = await client().waitForTask(task, { deadline: Date.now() + 10_000 });

    // Assess
    expect(['queued', 'running']).toContain(early.state);
    expect(later.state).toBe('success');
    expect(vc.sim.findVmByName('ic-slow')?.moref).toBe(later.result?.value);
  });

  it('rejects promptly with an aborted error when the signal fires during a wait', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 5_000 });
    const vim = client();
    const task = await vim.instantClone(await sourceOf(vim), { name: 'ic-abort' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();

    // Act
    const error = await vim
      .waitForTask(task, { deadline: Date.now() + 10_000, signal: controller.signal })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(VimTransportError);
    expect(error).toMatchObject({ kind: 'aborted', retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('recovers the wait when the session expires mid-wait', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 600 });
    const vim = client();
    const task = await vim.instantClone(await sourceOf(vim), { name: 'ic-expiry-mid-wait' });
    setTimeout(() => vc?.sim.expireSessions(), 150);

    // Act
    const info = await vim.waitForTask(task, { deadline: Date.now() + 10_000 });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.sim.stats.byMethod['Login']).toBe(2);
  });

  it('verifies the simulator certificate against its CA', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 10, tls: true });
    const trusted = client({ ca: vc.ca ?? '' });
    const untrusted = client();

    // Act
    const found = await trusted.findByInventoryPath('/DC0/vm/DC0_H0_VM0');
    const error = await untrusted.findByInventoryPath('/DC0/vm/DC0_H0_VM0').catch((e: unknown) => e);

    // Assess
    expect(found?.type).toBe('VirtualMachine');
    expect(error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'tls', retryable: false });
  });

  it('fails a clone call on a 503 but retries a read through connection resets', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 10 });
    const vim = client();
    const source = await sourceOf(vim);
    const folder = (await vim.findByInventoryPath('/DC0/vm')) as MoRef;
    vc.sim.injectFault({ method: 'InstantClone_Task', effect: 'http503', count: 1 });
    vc.sim.injectFault({ method: 'FindChild', effect: 'connectionReset', count: 2 });

    // Act
    const unavailable = await vim.instantClone(source, { name: 'ic-503' }).catch((e: unknown) => e);
    const found = await vim.findChild(folder, 'DC0_H0_VM0');

    // Assess
    expect(unavailable).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'http-status', status: 503, retryable: true });
    expect(vc.sim.findVmByName('ic-503')).toBeUndefined();
    expect(found).toEqual(source);
  });

  it('follows 30 overlapping clones, with task filters for those that overflow the source recentTask', async () => {
    // Prepare
    vc = await startVcSim({ port: 0, taskDurationMs: 300 });
    const vim = client();
    const source = await sourceOf(vim);
    const cloneAfter = async (i: number) => {
      await new Promise((resolve) => setTimeout(resolve, i * 20));
      const task = await vim.instantClone(source, { name: `ic-overlap-${i}` });
      return vim.waitForTask(task, { deadline: Date.now() + 20_000 });
    };

    // Act
    const infos = await Promise.all(Array.from({ length: 30 }, (_, i) => cloneAfter(i)));

    // Assess
    expect(infos.filter((i) => i.state === 'success')).toHaveLength(30);
    expect(new Set(infos.map((i) => i.result?.value)).size).toBe(30);
    expect(vc.sim.stats.byMethod['CreatePropertyCollector']).toBe(1);
  });
});
