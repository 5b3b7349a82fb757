import { describe, expect, it } from 'vitest';
import { child, childText } from '#local/vcsim/soap/xml-reader';
import { faultType, findAll, useLoggedInSim } from './vim-client.js';

describe('vcsim: reconfigure, preflight checks and API-version gating', () => {
  const sim = useLoggedInSim();

  it('reconnects a clone NIC left disconnected by migrateConnect and edits extraConfig with ReconfigVM_Task', async () => {
    // Prepare
    const cloneTask = await sim.client.ref(
      'InstantClone_Task',
      ['VirtualMachine', sim.source],
      '<spec><name>reconnect</name><location><deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>4000</key><connectable><migrateConnect>disconnect</migrateConnect><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>false</connected></connectable></device></deviceChange></location><config><key>guestinfo.a</key><value xsi:type="xsd:string">1</value></config></spec>',
    );
    const vm = childText(await sim.client.waitForTask(cloneTask!), 'result') ?? '';
    // Act
    const task = await sim.client.ref(
      'ReconfigVM_Task',
      ['VirtualMachine', vm],
      '<spec><deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>4000</key><connectable><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>true</connected></connectable></device></deviceChange><extraConfig><key>guestinfo.a</key><value xsi:type="xsd:string"></value></extraConfig><extraConfig><key>guestinfo.b</key><value xsi:type="xsd:string">2</value></extraConfig></spec>',
    );
    const info = await sim.client.waitForTask(task!);
    // Assess
    expect(childText(info, 'state')).toBe('success');
    expect(childText(info, 'descriptionId')).toBe('VirtualMachine.reconfigure');
    expect(sim.vc.sim.getVm(vm)?.nics[0]?.connected).toBe(true);
    expect(sim.vc.sim.getVm(vm)?.extraConfig).toEqual({ 'guestinfo.b': '2' });
  });

  it('reports CheckInstantClone_Task problems as CheckResult errors without cloning', async () => {
    // Prepare
    sim.vc.sim.setPowerState(sim.source, 'poweredOff');
    // Act
    const task = await sim.client.ref(
      'CheckInstantClone_Task',
      ['VirtualMachineProvisioningChecker', 'ProvChecker'],
      `<vm type="VirtualMachine">${sim.source}</vm><spec><name>DC0_H0_VM1</name><location/></spec><testType>sourceTests</testType>`,
    );
    const info = await sim.client.waitForTask(task!);
    // Assess
    const result = child(info, 'result')!;
    expect(result.xsiType).toBe('ArrayOfCheckResult');
    const errors = findAll(result, 'error').map((e) => child(e, 'fault')?.xsiType);
    expect(errors).toEqual(['InvalidPowerState', 'DuplicateName']);
    expect(sim.vc.sim.listVms()).toHaveLength(4);
  });

  it('faults CheckInstantClone_Task synchronously for an unknown VM', async () => {
    // Act
    const reply = await sim.client.call(
      'CheckInstantClone_Task',
      ['VirtualMachineProvisioningChecker', 'ProvChecker'],
      '<vm type="VirtualMachine">vm-404</vm><spec><name>x</name><location/></spec>',
    );
    // Assess
    expect(faultType(reply)).toBe('ManagedObjectNotFound');
  });

  it('leaves 7.0 fields out of ServiceContent for a client that asks for vim25/6.7', async () => {
    // Prepare
    const body =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>';
    // Act
    const old = await sim.client.raw(body, { soapaction: '"urn:vim25/6.7.1"' });
    const current = await sim.client.raw(body, { soapaction: 'urn:vim25/8.0.3.0' });
    // Assess
    expect(old.xml).not.toContain('guestCustomizationManager');
    expect(current.xml).toContain('<guestCustomizationManager type="VirtualMachineGuestCustomizationManager">');
  });
});
