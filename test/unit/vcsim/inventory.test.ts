import { describe, expect, it } from 'vitest';
import { buildInventory } from '#local/vcsim/default-inventory';
import { escapeEntityName, isManualMac } from '#local/vcsim/methods/instant-clone-spec';

describe('vcsim inventory', () => {
  it('builds govmomi\u2019s VPX model by default: four powered-on VMs with NIC 4000 and one disk', () => {
    // Act
    const inv = buildInventory();
    // Assess
    expect(
      inv
        .vms()
        .map((vm) => vm.name)
        .sort(),
    ).toEqual(['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1']);
    for (const vm of inv.vms()) {
      expect(vm.powerState).toBe('poweredOn');
      expect(vm.nics.map((n) => [n.key, n.label])).toEqual([[4000, 'Network adapter 1']]);
      expect(vm.disks).toHaveLength(1);
    }
    for (const path of [
      '/DC0/host/DC0_C0',
      '/DC0/host/DC0_H0',
      '/DC0/datastore/LocalDS_0',
      '/DC0/network/VM Network',
      '/DC0/network/DC0_DVPG0',
    ]) {
      expect(inv.findByInventoryPath(path), path).toBeDefined();
    }
  });

  it('resolves inventory paths with or without the leading slash and answers undefined for unknown ones', () => {
    // Prepare
    const inv = buildInventory();
    // Act
    const withSlash = inv.findByInventoryPath('/DC0/vm/DC0_H0_VM0');
    const without = inv.findByInventoryPath('DC0/vm/DC0_H0_VM0');
    // Assess
    expect(withSlash?.type).toBe('VirtualMachine');
    expect(without).toBe(withSlash);
    expect(inv.findByInventoryPath('/DC0/vm/nope')).toBeUndefined();
    expect(inv.findByInventoryPath('/DC0/vm')?.moref).toMatch(/^group-v\d+$/);
  });

  it('scales to 10,000 VMs spread over hosts and clusters', () => {
    // Act
    const inv = buildInventory({ vms: 10_000 });
    // Assess
    expect(inv.vms()).toHaveLength(10_000);
    expect(new Set(inv.vms().map((vm) => vm.name)).size).toBe(10_000);
    expect(new Set(inv.vms().map((vm) => vm.nics[0]?.macAddress)).size).toBe(10_000);
  });

  it('allocates vCenter MACs in 00:50:56:80-bf and accepts manual MACs only in 00:50:56:00-3f', () => {
    // Prepare
    const inv = buildInventory({ vms: 0 });
    // Act
    const mac = inv.allocateMac();
    // Assess
    expect(mac).toMatch(/^00:50:56:(8|9|a|b)[0-9a-f]:/);
    expect(isManualMac('00:50:56:3f:ff:ff')).toBe(true);
    expect(isManualMac('00:50:56:40:00:00')).toBe(false);
    expect(isManualMac('00:0c:29:00:00:01')).toBe(false);
    expect(isManualMac('not-a-mac')).toBe(false);
  });
});

describe('vcsim entity names', () => {
  it('escapes slash, backslash and a lone percent as vCenter stores them', () => {
    // Assess
    expect(escapeEntityName('a/b')).toBe('a%2fb');
    expect(escapeEntityName('a\\b')).toBe('a%5cb');
    expect(escapeEntityName('100%')).toBe('100%25');
    expect(escapeEntityName('already%2fescaped')).toBe('already%2fescaped');
  });
});
