import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { VsphereVmCloner } from '#shared/clones/adapters/vsphere-vm-cloner';
import type { ClonePlan } from '#shared/clones/ports/vm-cloner';
import { createVimClient } from '#shared/vsphere/index';

let vc: VcSimHandle;
let cloner: VsphereVmCloner;
const owner = { key: 'instaclone.jobId', value: 'job-adapter-1' };
const deadline = () => Date.now() + 10_000;

const plan = (name: string, extra: Partial<ClonePlan> = {}): ClonePlan => ({
  source: { path: '/DC0/vm/DC0_H0_VM0' },
  name,
  nics: [],
  serialPorts: [],
  parallelPorts: [],
  extraConfig: { [owner.key]: owner.value },
  ...extra,
});

const clone = async (p: ClonePlan) => {
  const { taskRef } = await cloner.startClone(p, {});
  const outcome = await cloner.waitForClone(taskRef, { deadline: deadline() });
  if (outcome.state !== 'succeeded') throw new Error(`clone ${outcome.state}`);
  return outcome.vm;
};

beforeAll(async () => {
  vc = await startVcSim({ taskDurationMs: 0 });
  cloner = new VsphereVmCloner(
    createVimClient({ url: vc.url, credentials: async () => ({ username: 'u', password: 'p' }) }),
  );
});
afterAll(() => vc?.close());

describe('Adapter: VsphereVmCloner against the simulator', () => {
  it('turns a NIC label into its device key and applies the manual MAC', async () => {
    // Act
    const vm = await clone(plan('adapter-label', { nics: [{ label: 'Network adapter 1', mac: '00:50:56:00:aa:01' }] }));
    // Assess
    expect(vm.nics).toContainEqual({
      key: 4000,
      label: 'Network adapter 1',
      mac: '00:50:56:00:aa:01',
      addressType: 'manual',
    });
  });

  it('moves a NIC to a distributed portgroup by name', async () => {
    // Act
    const vm = await clone(plan('adapter-dvpg', { nics: [{ key: 4000, network: 'DC0_DVPG0' }] }));
    // Assess
    const network = vc.sim.getVm(vm.moref)?.nics[0]?.network ?? '';
    expect(network).toMatch(/DVPG0|dvportgroup/);
  });

  it('finds a source by name in the given folder', async () => {
    // Act
    const vm = await clone(plan('adapter-by-name', { source: { name: 'DC0_H0_VM0' }, folder: { path: '/DC0/vm' } }));
    // Assess
    expect(vc.sim.getVm(vm.moref)).toMatchObject({ name: 'adapter-by-name', powerState: 'poweredOn' });
  });

  it('rejects a NIC the source does not have as a terminal InvalidArgument', async () => {
    // Act
    const attempt = cloner.startClone(plan('adapter-bad-nic', { nics: [{ key: 4999 }] }), {});
    // Assess
    await expect(attempt).rejects.toMatchObject({
      code: 'VCENTER_FAULT',
      faultType: 'InvalidArgument',
      retryable: false,
    });
  });

  it('looks a bare datastore name up in the source datacenter instead of sending it as a moref', async () => {
    // Act
    const vm = await clone(plan('adapter-ds-name', { datastore: { moref: 'LocalDS_0' } }));
    // Assess
    const datastore = (vc.sim.getVm(vm.moref) as { datastore?: string } | undefined)?.datastore;
    expect(datastore).toMatch(/^datastore-\d+$/);
  });

  it.each([
    ['datastore', { datastore: { moref: 'NoSuchDS' } }, /No datastore named "NoSuchDS" in datacenter DC0/],
    ['folder', { folder: { moref: 'no-such-folder' } }, /No folder named "no-such-folder" in datacenter DC0/],
    ['pool', { pool: { moref: 'ci-pool' } }, /"ci-pool" is not a pool moref .*give a pool by inventory path/],
  ] as const)(
    'refuses a bare %s name it cannot resolve as a terminal InvalidArgument naming the field',
    async (field, extra, message) => {
      // Act
      const attempt = cloner.startClone(plan(`adapter-bare-${field}`, extra), {});
      // Assess
      await expect(attempt).rejects.toMatchObject({
        faultType: 'InvalidArgument',
        retryable: false,
        fields: { invalidProperty: field },
      });
      await expect(attempt).rejects.toThrow(message);
    },
  );

  it('refuses a running source near the delta-disk chain limit and says how to fix it', {
    timeout: 60_000,
  }, async () => {
    // Prepare: 250 real clones grow the running source's chain; a fresh cloner reads the depth anew
    const source = { moref: vc.sim.findVmByName('DC0_H0_VM1')?.moref ?? '' };
    const vim = createVimClient({ url: vc.url, credentials: async () => ({ username: 'u', password: 'p' }) });
    for (let i = 0; i < 250; i++) {
      await vim.waitForTask(
        await vim.instantClone({ type: 'VirtualMachine', value: source.moref }, { name: `chain-${i}` }),
        {
          deadline: deadline(),
        },
      );
    }
    // Act
    const attempt = new VsphereVmCloner(vim).startClone(plan('adapter-chain', { source }), {});
    // Assess
    await expect(attempt).rejects.toMatchObject({ faultType: 'DeltaDiskChainLimit', retryable: false });
    await expect(attempt).rejects.toThrow(/freeze the source/);
  });

  it('destroys its own clone, reports a missing one as gone and leaves a foreign VM alone', async () => {
    // Prepare
    const vm = await clone(plan('adapter-destroy'));
    const foreign = vc.sim.findVmByName('DC0_C0_RP0_VM0');
    // Act
    const destroyed = await cloner.destroyClone(vm.moref, owner, { deadline: deadline() });
    const gone = await cloner.destroyClone(vm.moref, owner, { deadline: deadline() });
    const untouched = await cloner.destroyClone(foreign?.moref ?? '', owner, { deadline: deadline() });
    // Assess
    expect([destroyed, gone, untouched]).toEqual(['destroyed', 'gone', 'foreign']);
    expect(vc.sim.getVm(vm.moref)).toBeUndefined();
    expect(vc.sim.getVm(foreign?.moref ?? '')).toMatchObject({ powerState: 'poweredOn' });
  });

  it('finds a clone by name in the source folder with its extraConfig', async () => {
    // Prepare
    const vm = await clone(plan('adapter-find'));
    // Act
    const found = await cloner.findClone(plan('adapter-find'), {});
    // Assess
    expect(found).toMatchObject({ moref: vm.moref, extraConfig: { [owner.key]: owner.value } });
  });

  it('sets guestinfo on a running clone with ReconfigVM_Task and reads it back; a gone VM reads as undefined', async () => {
    // Prepare
    const vm = await clone(plan('adapter-configure'));
    // Act
    await cloner.setExtraConfig(vm.moref, { 'guestinfo.instaclone.runner.jitconfig': 'JIT' }, { deadline: deadline() });
    const read = await cloner.readExtraConfig(vm.moref, {});
    await cloner.destroyClone(vm.moref, owner, { deadline: deadline() });
    const gone = await cloner.readExtraConfig(vm.moref, {});
    // Assess
    expect(read).toMatchObject({ [owner.key]: owner.value, 'guestinfo.instaclone.runner.jitconfig': 'JIT' });
    expect(gone).toBeUndefined();
  });
});
