import { describe, expect, it } from 'vitest';
import { startVcSim } from '#local/vcsim/index';
import { child, childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, type SoapReply, useLoggedInSim, VimTestClient } from './vim-client.js';

function nicEdit(deviceType: string): string {
  return `<deviceChange><operation>edit</operation><device xsi:type="${deviceType}"><key>4000</key><connectable><migrateConnect>disconnect</migrateConnect><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>false</connected></connectable></device></deviceChange>`;
}

function detail(reply: SoapReply, field: string): string | undefined {
  const fault = child(reply.body, 'detail')?.children[0];
  return fault ? childText(fault, field) : undefined;
}

describe('vcsim: what vCenter refuses, the simulator refuses', () => {
  const sim = useLoggedInSim();

  it('faults InvalidDeviceSpec for a NIC edit of another device class than the NIC (VirtualE1000 over a Vmxnet3)', async () => {
    // Act: DC0_H0_VM0's NIC 4000 is a VirtualVmxnet3
    const clone = await sim.client.call(
      'InstantClone_Task',
      ['VirtualMachine', sim.source],
      `<spec><name>wrong-class</name><location>${nicEdit('VirtualE1000')}</location></spec>`,
    );
    const reconfigure = await sim.client.call(
      'ReconfigVM_Task',
      ['VirtualMachine', sim.source],
      `<spec>${nicEdit('VirtualE1000')}</spec>`,
    );
    const sameClass = await sim.client.call(
      'InstantClone_Task',
      ['VirtualMachine', sim.source],
      `<spec><name>right-class</name><location>${nicEdit('VirtualVmxnet3')}</location></spec>`,
    );
    // Assess
    expect(faultType(clone)).toBe('InvalidDeviceSpec');
    expect(detail(clone, 'property')).toBe('device');
    expect(detail(clone, 'deviceIndex')).toBe('0');
    expect(faultType(reconfigure)).toBe('InvalidDeviceSpec');
    expect(sameClass.status).toBe(200);
    expect(sim.vc.sim.findVmByName('wrong-class')).toBeUndefined();
  });

  it('faults InvalidArgument for a location.folder that is not a VM folder (the host folder)', async () => {
    // Prepare
    const hostFolder = await sim.client.findVm('/DC0/host');
    // Act
    const reply = await sim.client.call(
      'InstantClone_Task',
      ['VirtualMachine', sim.source],
      `<spec><name>in-host-folder</name><location><folder type="Folder">${hostFolder}</folder></location></spec>`,
    );
    const check = await sim.client.call(
      'CheckInstantClone_Task',
      ['VirtualMachineProvisioningChecker', 'ProvChecker'],
      `<vm type="VirtualMachine">${sim.source}</vm><spec><name>x</name><location><folder type="Folder">${hostFolder}</folder></location></spec>`,
    );
    // Assess
    expect(reply.status).toBe(500);
    expect(faultType(reply)).toBe('InvalidArgument');
    expect(detail(reply, 'invalidProperty')).toBe('spec.location.folder');
    expect(childText(reply.body, 'faultstring')).toBe('A specified parameter was not correct: spec.location.folder');
    expect(faultType(check)).toBe('InvalidArgument');
  });

  it('faults InvalidArgument for a VM folder of another datacenter than the source host', async () => {
    // Prepare
    const vc = await startVcSim({ taskDurationMs: 0, inventory: { datacenters: 2 } });
    const client = new VimTestClient(vc.url);
    try {
      expectOk(await client.login());
      const source = await client.findVm('/DC0/vm/DC0_H0_VM0');
      const otherFolder = await client.findVm('/DC1/vm');
      // Act
      const reply = await client.call(
        'InstantClone_Task',
        ['VirtualMachine', source],
        `<spec><name>cross-dc</name><location><folder type="Folder">${otherFolder}</folder></location></spec>`,
      );
      // Assess
      expect(faultType(reply)).toBe('InvalidArgument');
      expect(detail(reply, 'invalidProperty')).toBe('spec.location.folder');
    } finally {
      await vc.close();
    }
  });
});
