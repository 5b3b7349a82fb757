import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { createVimClient, type VimClient } from '#shared/vsphere/index';

let vc: VcSimHandle;
let vim: VimClient;

beforeAll(async () => {
  vc = await startVcSim({ taskDurationMs: 0, inventory: { datacenters: 2, vms: 1100 } });
  vim = createVimClient({ url: vc.url, credentials: async () => ({ username: 'u', password: 'p' }) });
  await vim.findByInventoryPath('/DC0/vm');
});
afterAll(() => vc?.close());

describe('vim25 client: which VMs of the inventory carry some MACs', () => {
  it('reads every VM of every datacenter in pages of 500 and names the VMs that carry the MACs', async () => {
    // Prepare
    const vms = vc.sim.listVms();
    const first = vms[0];
    const last = vms[vms.length - 1];
    const wanted = [
      first?.nics[0]?.macAddress ?? '',
      (last?.nics[0]?.macAddress ?? '').toUpperCase(),
      '00:50:56:3f:ff:fe',
    ];
    const before = vim.roundTrips;
    // Act
    const holders = await vim.findVmsWithMacs(wanted);
    // Assess
    expect(vms.length).toBeGreaterThan(1000);
    expect(holders.map((h) => [h.vm.value, h.name]).sort()).toEqual(
      [
        [first?.moref, first?.name],
        [last?.moref, last?.name],
      ].sort(),
    );
    expect(vim.roundTrips - before).toBe(Math.ceil(vms.length / 500));
  });

  it('asks nothing for no MACs', async () => {
    // Prepare
    const before = vim.roundTrips;
    // Act
    const holders = await vim.findVmsWithMacs([]);
    // Assess
    expect(holders).toEqual([]);
    expect(vim.roundTrips).toBe(before);
  });
});
