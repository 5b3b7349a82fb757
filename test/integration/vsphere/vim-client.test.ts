import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { createVimClient, type MoRef, type VimClient } from '#shared/vsphere/index';

const credentials = async () => ({ username: 'svc-ic@vsphere.local', password: 'secret' });
const soon = () => Date.now() + 10_000;

describe('vim25 client against the vCenter simulator', () => {
  let vc: VcSimHandle;
  let vim: VimClient;
  let source: MoRef<'VirtualMachine'>;
  let folder: MoRef<'Folder'>;

  beforeAll(async () => {
    vc = await startVcSim({ port: 0, taskDurationMs: 10 });
    vim = createVimClient({ url: vc.url, credentials });
    source = (await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0')) as MoRef<'VirtualMachine'>;
    folder = (await vim.findByInventoryPath('/DC0/vm')) as MoRef<'Folder'>;
  });
  afterAll(async () => {
    await vim.logout();
    await vc.close();
  });

  it('clones with a manual MAC and guestinfo that land on the new VM', async () => {
    // Act
    const task = await vim.instantClone(
      source,
      {
        name: 'ic-happy',
        folder,
        nics: [{ key: 4000, macAddress: '00:50:56:3a:12:34' }],
        extraConfig: { 'guestinfo.ci.job': '42' },
      },
      { operationId: 'job-happy' },
    );
    const info = await vim.waitForTask(task, { deadline: soon() });

    // Assess
    expect(info).toMatchObject({ state: 'success', result: { type: 'VirtualMachine' } });
    const simVm = vc.sim.findVmByName('ic-happy');
    expect(simVm?.moref).toBe(info.result?.value);
    expect(simVm?.nics[0]).toMatchObject({ key: 4000, macAddress: '00:50:56:3a:12:34', addressType: 'manual' });
    expect(simVm?.extraConfig['guestinfo.ci.job']).toBe('42');
    const facts = await vim.getVm(info.result as MoRef<'VirtualMachine'>);
    expect(facts).toMatchObject({ name: 'ic-happy', powerState: 'poweredOn', folder });
    expect(facts.nics[0]).toMatchObject({ key: 4000, macAddress: '00:50:56:3a:12:34', addressType: 'manual' });
    expect(facts.extraConfig['guestinfo.ci.job']).toBe('42');
    expect(await vim.findChild(folder, 'ic-happy')).toEqual(info.result);
  });

  it('starts a NIC disconnected when asked to (migrateConnect=disconnect)', async () => {
    // Act
    const task = await vim.instantClone(source, {
      name: 'ic-disconnected',
      nics: [{ key: 4000, startDisconnected: true }],
    });
    const vm = (await vim.waitForTask(task, { deadline: soon() })).result as MoRef<'VirtualMachine'>;

    // Assess
    expect((await vim.getVm(vm)).nics[0]?.connected).toBe(false);
    expect(vc.sim.findVmByName('ic-disconnected')?.nics[0]?.connected).toBe(false);
  });

  it('reconnects a NIC with ReconfigVM_Task', async () => {
    // Prepare
    const task = await vim.instantClone(source, {
      name: 'ic-reconnect',
      nics: [{ key: 4000, startDisconnected: true }],
    });
    const vm = (await vim.waitForTask(task, { deadline: soon() })).result as MoRef<'VirtualMachine'>;

    // Act
    const reconnect = await vim.waitForTask(await vim.reconnectNic(vm, 4000), { deadline: soon() });

    // Assess
    expect(reconnect.state).toBe('success');
    expect((await vim.getVm(vm)).nics[0]?.connected).toBe(true);
  });

  it('runs the CheckInstantClone_Task preflight', async () => {
    // Act
    const info = await vim.waitForTask(await vim.checkInstantClone(source, { name: 'ic-check' }), { deadline: soon() });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.sim.findVmByName('ic-check')).toBeUndefined();
  });

  it('waits for several clones at once on one shared property collector', async () => {
    // Prepare
    const filtersBefore = vc.sim.stats.byMethod['CreateFilter'];

    // Act
    const tasks = await Promise.all(['a', 'b', 'c', 'd'].map((n) => vim.instantClone(source, { name: `ic-par-${n}` })));
    const infos = await Promise.all(tasks.map((t) => vim.waitForTask(t, { deadline: soon() })));

    // Assess
    expect(infos.map((i) => i.state)).toEqual(['success', 'success', 'success', 'success']);
    expect(new Set(infos.map((i) => i.result?.value)).size).toBe(4);
    expect(vc.sim.stats.byMethod['CreatePropertyCollector']).toBe(1);
    // the source's recentTask filter already exists: no task filters
    expect(vc.sim.stats.byMethod['CreateFilter']).toBe(filtersBefore);
  });

  it('reports a powered-off source as an InvalidPowerState task error', async () => {
    // Prepare
    const off = vc.sim.findVmByName('DC0_H0_VM1');
    vc.sim.setPowerState(off?.moref ?? '', 'poweredOff');
    const offRef: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: off?.moref ?? '' };

    // Act
    const info = await vim.waitForTask(await vim.instantClone(offRef, { name: 'ic-off' }), { deadline: soon() });

    // Assess
    expect(info.state).toBe('error');
    expect(info.error).toMatchObject({ code: 'VIM_FAULT', faultType: 'InvalidPowerState', classification: 'terminal' });
  });

  it('reports a second clone of the same name as DuplicateName (reconcile first)', async () => {
    // Prepare
    await vim.waitForTask(await vim.instantClone(source, { name: 'ic-dup', folder }), { deadline: soon() });

    // Act
    const error = await vim
      .instantClone(source, { name: 'ic-dup', folder })
      .then((task) => vim.waitForTask(task, { deadline: soon() }))
      .then(
        (info) => info.error,
        (e: unknown) => e,
      );

    // Assess
    expect(error).toMatchObject({ faultType: 'DuplicateName', classification: 'reconcile' });
  });

  it('logs in again once when the session expires between calls', async () => {
    // Prepare
    vc.sim.expireSessions();
    const logins = vc.sim.stats.byMethod['Login'] ?? 0;

    // Act
    const info = await vim.waitForTask(await vim.instantClone(source, { name: 'ic-after-expiry' }), {
      deadline: soon(),
    });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.sim.stats.byMethod['Login']).toBe(logins + 1);
  });

  it('reads VM facts again after the session expired (missingSet answer, then one re-login)', async () => {
    // Prepare
    vc.sim.expireSessions();
    const logins = vc.sim.stats.byMethod['Login'] ?? 0;

    // Act
    const facts = await vim.getVm(source);

    // Assess
    expect(facts).toMatchObject({ name: 'DC0_H0_VM0', powerState: 'poweredOn' });
    expect(vc.sim.stats.byMethod['Login']).toBe(logins + 1);
  });

  it('powers off and destroys a clone', async () => {
    // Prepare
    const vm = (await vim.waitForTask(await vim.instantClone(source, { name: 'ic-doomed' }), { deadline: soon() }))
      .result as MoRef<'VirtualMachine'>;

    // Act
    const off = await vim.waitForTask(await vim.powerOff(vm), { deadline: soon() });
    const gone = await vim.waitForTask(await vim.destroy(vm), { deadline: soon() });

    // Assess
    expect([off.state, gone.state]).toEqual(['success', 'success']);
    expect(vc.sim.findVmByName('ic-doomed')).toBeUndefined();
    await expect(vim.getVm(vm)).rejects.toMatchObject({ faultType: 'ManagedObjectNotFound' });
  });
});

describe('vim25 client against the simulator: networks', () => {
  it('resolves standard and distributed portgroups into NIC backings a clone accepts', async () => {
    // Prepare
    const vc = await startVcSim({ port: 0, taskDurationMs: 10 });
    const vim = createVimClient({ url: vc.url, credentials });
    const source = (await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0')) as MoRef<'VirtualMachine'>;
    const standardRef = (await vim.findByInventoryPath('/DC0/network/VM Network')) as MoRef;
    const distributedRef = (await vim.findByInventoryPath('/DC0/network/DC0_DVPG0')) as MoRef;

    // Act
    const standard = await vim.getNetwork(standardRef);
    const distributed = await vim.getNetwork(distributedRef);
    const task = await vim.instantClone(source, { name: 'ic-dvs', nics: [{ key: 4000, network: distributed }] });
    const info = await vim.waitForTask(task, { deadline: soon() });

    // Assess
    expect(standard).toEqual({ kind: 'standard', name: 'VM Network', moref: standardRef });
    expect(distributed).toMatchObject({ kind: 'distributed', moref: distributedRef });
    expect(distributed.kind === 'distributed' && distributed.switchUuid.length > 0).toBe(true);
    expect(info.state).toBe('success');
    expect(vc.sim.findVmByName('ic-dvs')?.nics[0]?.network).toBe(distributedRef.value);
    await vim.logout();
    await vc.close();
  });
});
