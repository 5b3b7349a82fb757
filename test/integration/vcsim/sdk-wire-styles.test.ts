import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { child, childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, VimTestClient } from './vim-client.js';

// Hand-written requests in the exact shapes real SDKs put on the wire (reference §1.2): pyVmomi uses the `xsi:`
// prefix, quoted SOAPAction and echoes the whole Set-Cookie; govmomi binds XMLSchema-instance to the prefix
// `XMLSchema-instance`, sends SOAPAction unquoted and only the cookie pair.

function pyvmomiInstantClone(vm: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><InstantClone_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this><spec versionId="8.0.3.0"><name>py-clone</name><location><deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>4000</key><connectable><migrateConnect>disconnect</migrateConnect><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>false</connected></connectable><addressType>manual</addressType><macAddress>00:50:56:01:02:03</macAddress></device></deviceChange></location><config><key>guestinfo.ic.hostname</key><value xsi:type="xsd:string">py-clone</value></config></spec></InstantClone_Task></soapenv:Body>
</soapenv:Envelope>`;
}

function govmomiInstantClone(vm: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><InstantClone_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this><spec><name>go-clone</name><location><deviceChange xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="VirtualDeviceConfigSpec"><operation>edit</operation><device XMLSchema-instance:type="vim25:VirtualVmxnet3" xmlns:vim25="urn:vim25"><key>4000</key><addressType>manual</addressType><macAddress>00:50:56:01:02:04</macAddress></device></deviceChange></location><config xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="OptionValue"><key>guestinfo.ic.hostname</key><value XMLSchema-instance:type="xsd:string">go-clone</value></config></spec></InstantClone_Task></soapenv:Body></soapenv:Envelope>`;
}

describe('vcsim: requests in the wire styles of real SDKs', () => {
  let vc: VcSimHandle;
  let source: string;
  beforeAll(async () => {
    vc = await startVcSim({ taskDurationMs: 0 });
    const setup = new VimTestClient(vc.url);
    await setup.login();
    source = await setup.findVm('/DC0/vm/DC0_H0_VM0');
  });
  afterAll(() => vc.close());

  it('accepts a pyVmomi-style InstantClone_Task (xsi prefix, quoted SOAPAction, echoed Set-Cookie)', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login();
    // Act
    const reply = await client.raw(pyvmomiInstantClone(source), { soapaction: '"urn:vim25/8.0.3.0"' });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.xml).toMatch(
      /<soapenv:Body>\n<InstantClone_TaskResponse xmlns="urn:vim25"><returnval type="Task">task-\d+<\/returnval><\/InstantClone_TaskResponse>\n<\/soapenv:Body>/,
    );
    const info = await client.waitForTask(childText(reply.body, 'returnval') ?? '');
    expect(childText(info, 'state')).toBe('success');
    const vm = vc.sim.findVmByName('py-clone');
    expect(vm?.nics[0]).toMatchObject({ macAddress: '00:50:56:01:02:03', addressType: 'manual', connected: false });
    expect(vm?.extraConfig['guestinfo.ic.hostname']).toBe('py-clone');
  });

  it('accepts a govmomi-style InstantClone_Task (XMLSchema-instance prefix, vim25: type values, unquoted SOAPAction)', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    const login = await client.login();
    client.cookie = (login.setCookie ?? '').split(';')[0];
    // Act
    const reply = await client.raw(govmomiInstantClone(source), { soapaction: 'urn:vim25/8.0.3.0' });
    // Assess
    expectOk(reply);
    expect(reply.body.local).toBe('InstantClone_TaskResponse');
    expect(reply.body.uri).toBe('urn:vim25');
    expect(child(reply.body, 'returnval')?.attributes['type']).toBe('Task');
    const info = await client.waitForTask(childText(reply.body, 'returnval') ?? '');
    expect(childText(info, 'state')).toBe('success');
    const vm = vc.sim.findVmByName('go-clone');
    expect(vm?.nics[0]).toMatchObject({ macAddress: '00:50:56:01:02:04', addressType: 'manual', connected: true });
    expect(vm?.extraConfig['guestinfo.ic.hostname']).toBe('go-clone');
  });

  it('accepts a default-namespace envelope with a prefixed vim25 body element', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login();
    const envelope = `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><v:FindByInventoryPath xmlns:v="urn:vim25"><v:_this type="SearchIndex">SearchIndex</v:_this><v:inventoryPath>DC0/vm/DC0_H0_VM1</v:inventoryPath></v:FindByInventoryPath></Body></Envelope>`;
    // Act
    const reply = await client.raw(envelope);
    // Assess
    expectOk(reply);
    expect(childText(reply.body, 'returnval')).toBe(vc.sim.findVmByName('DC0_H0_VM1')?.moref);
  });

  it('answers MethodNotFound for InstantClone_Task under a SOAPAction older than vim25/6.7', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login();
    // Act
    const reply = await client.raw(pyvmomiInstantClone(source).replace('py-clone', 'old-clone'), {
      soapaction: '"urn:vim25/6.5"',
    });
    // Assess
    expect(reply.status).toBe(500);
    expect(child(reply.body, 'detail')?.children[0]?.xsiType).toBe('MethodNotFound');
  });
});
