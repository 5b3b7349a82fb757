import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, type MoRef } from '#shared/vsphere/index';
import { countingCredentials, type FakeVcenter, fixture, SESSION_COOKIE, startFakeVcenter } from './fake-vcenter.js';

const SOURCE: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: 'vm-42' };

describe('vim25 client: what goes on the wire', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('logs in lazily, then sends the session cookie and SOAPAction urn:vim25/<about.apiVersion>', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const found = await vim.findByInventoryPath('/DC0/vm/web-golden');

    // Assess
    expect(found).toEqual({ type: 'VirtualMachine', value: 'vm-42' });
    expect(vc.requests.map((r) => r.method)).toEqual(['RetrieveServiceContent', 'Login', 'FindByInventoryPath']);
    expect(vc.calls('Login')[0]?.body).toContain('s3cr&amp;t&lt;');
    expect(vc.calls('FindByInventoryPath')[0]?.soapAction).toBe('urn:vim25/8.0.3.0');
    expect(vc.calls('FindByInventoryPath')[0]?.cookie).toBe(SESSION_COOKIE);
  });

  it('sends the operation id as the operationID SOAP header', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    await vim.findChild({ type: 'Folder', value: 'group-v4' }, 'web-ic-001', { operationId: 'job-<7>' });

    // Assess
    const body = vc.calls('FindChild')[0]?.body ?? '';
    expect(body).toMatch(/<soap:Header><operationID>job-&#60;7&#62;<\/operationID><\/soap:Header>/);
    expect(body).toMatch(/<(\w+:)?entity type="Folder">group-v4<\/(\w+:)?entity>\s*<(\w+:)?name>web-ic-001</);
  });

  it('writes the instant clone spec in schema order with xsi:type on polymorphic values', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const task = await vim.instantClone(SOURCE, {
      name: 'web-ic-001',
      folder: { type: 'Folder', value: 'group-v4' },
      pool: { type: 'ResourcePool', value: 'resgroup-9' },
      datastore: { type: 'Datastore', value: 'datastore-15' },
      nics: [{ key: 4000, macAddress: '00:50:56:00:12:34', startDisconnected: true }],
      serialPorts: [{ key: 9000, fileName: '[LocalDS_0] web-ic-001/serial0.log' }],
      extraConfig: { 'guestinfo.ci.job': '42' },
      biosUuid: '4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b',
    });

    // Assess
    expect(task).toEqual({ type: 'Task', value: 'task-4711' });
    const body = (vc.calls('InstantClone_Task')[0]?.body ?? '').replace(/<\/?[\w-]+:/g, (m) =>
      m.replace(/[\w-]+:/, ''),
    );
    const order = ['<name>', '<location>', '<folder', '<datastore', '<pool', '<deviceChange>', '<config', '<biosUuid>'];
    const positions = order.map((tag) => body.indexOf(tag));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(body).toMatch(/<device xsi:type="\w+:VirtualVmxnet3"/);
    expect(body).toMatch(/<backing xsi:type="\w+:VirtualEthernetCardDistributedVirtualPortBackingInfo"/);
    expect(body).toContain('<switchUuid>50 1e 2f 3a 4b 5c 6d 7e-8f 90 a1 b2 c3 d4 e5 f6</switchUuid>');
    expect(body).toContain('<portgroupKey>dvportgroup-20</portgroupKey>');
    expect(body).not.toContain('portKey>');
    expect(body).toMatch(
      /<connectable><migrateConnect>disconnect<\/migrateConnect><startConnected>true<\/startConnected>/,
    );
    expect(body).toMatch(/<addressType>manual<\/addressType><macAddress>00:50:56:00:12:34<\/macAddress>/);
    expect(body).toMatch(/<device xsi:type="\w+:VirtualSerialPort".*<fileName>\[LocalDS_0\] web-ic-001\/serial0.log</);
    expect(body).toMatch(
      /<config xsi:type="\w+:OptionValue"[^>]*><key>guestinfo.ci.job<\/key><value xsi:type="\w+:string"/,
    );
  });

  it('sends a minimal spec with an empty location and no device lookup', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    await vim.instantClone(SOURCE, { name: 'ic-1' });

    // Assess
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(0);
    expect(vc.calls('InstantClone_Task')[0]?.body).toMatch(/<(\w+:)?location><\/(\w+:)?location>/);
  });

  it('reads VM facts from ArrayOf wrappers, enums and MoRefs', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const facts = await vim.getVm({ type: 'VirtualMachine', value: 'vm-1001' });

    // Assess
    expect(facts).toEqual({
      moref: { type: 'VirtualMachine', value: 'vm-1001' },
      name: 'web-ic-001',
      powerState: 'poweredOn',
      host: { type: 'HostSystem', value: 'host-14' },
      folder: { type: 'Folder', value: 'group-v4' },
      frozen: false,
      nics: [
        {
          key: 4000,
          label: 'Network adapter 1',
          macAddress: '00:50:56:3a:12:34',
          addressType: 'manual',
          connected: false,
        },
      ],
      extraConfig: { 'guestinfo.ci.job': '42', nvram: 'web-ic-001.nvram' },
      guest: { ipAddress: '10.0.0.20', hostName: 'web-golden' },
      serialPorts: [{ key: 9000, label: 'Serial port 1', fileName: '[LocalDS_0] web-golden/serial0.log' }],
      parallelPorts: [],
      devices: [
        { key: 2000, type: 'VirtualDisk' },
        {
          key: 4000,
          type: 'VirtualVmxnet3',
          connectable: { startConnected: true, allowGuestControl: true },
          distributedPort: {
            switchUuid: '50 1e 2f 3a 4b 5c 6d 7e-8f 90 a1 b2 c3 d4 e5 f6',
            portgroupKey: 'dvportgroup-20',
          },
        },
        { key: 9000, type: 'VirtualSerialPort', yieldOnPoll: true },
      ],
      diskChainDepth: 3,
    });
  });

  it('caches nothing itself and reports no match as undefined', async () => {
    // Prepare
    vc = await startFakeVcenter({
      FindChild: { body: fixture('find-by-inventory-path-none.xml').replaceAll('FindByInventoryPath', 'FindChild') },
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    await vim.findByInventoryPath('/DC0/vm/web-golden');
    await vim.findByInventoryPath('/DC0/vm/web-golden');
    const missing = await vim.findChild({ type: 'Folder', value: 'group-v4' }, 'nope');

    // Assess
    expect(vc.calls('FindByInventoryPath')).toHaveLength(2);
    expect(missing).toBeUndefined();
  });

  it('takes the devices an edit needs from the source facts it is given, without reading them', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const facts = await vim.getVm(SOURCE);
    const reads = vc.calls('RetrievePropertiesEx').length;

    // Act
    await vim.instantClone(facts, { name: 'ic-1', nics: [{ key: 4000, startDisconnected: true }] });

    // Assess
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(reads);
    expect(vc.calls('InstantClone_Task')[0]?.body).toMatch(/VirtualVmxnet3/);
  });
});

describe('vim25 client: other operations on the wire', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('reconnects a NIC with ReconfigVM_Task using the device type read from the VM', async () => {
    // Prepare
    vc = await startFakeVcenter({
      ReconfigVM_Task: { body: fixture('power-off-task.xml').replaceAll('PowerOffVM_Task', 'ReconfigVM_Task') },
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const task = await vim.reconnectNic({ type: 'VirtualMachine', value: 'vm-1001' }, 4000);

    // Assess
    expect(task).toEqual({ type: 'Task', value: 'task-4712' });
    const body = vc.calls('ReconfigVM_Task')[0]?.body ?? '';
    expect(body).toMatch(/<(\w+:)?spec><(\w+:)?deviceChange><(\w+:)?operation>edit</);
    expect(body).toMatch(/<(\w+:)?device xsi:type="\w+:VirtualVmxnet3"[^>]*><(\w+:)?key>4000</);
    expect(body).toMatch(
      /<(\w+:)?startConnected>true<\/(\w+:)?startConnected><(\w+:)?allowGuestControl>true<\/(\w+:)?allowGuestControl><(\w+:)?connected>true</,
    );
  });

  it('refuses to edit a device the source does not have, before calling vCenter', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const error = await vim.instantClone(SOURCE, { name: 'x', nics: [{ key: 4001 }] }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_FAULT', faultType: 'InvalidDeviceSpec', classification: 'terminal' });
    expect(vc.calls('InstantClone_Task')).toHaveLength(0);
  });

  it('runs the CheckInstantClone_Task preflight on the provisioning checker', async () => {
    // Prepare
    vc = await startFakeVcenter({
      CheckInstantClone_Task: {
        body: fixture('power-off-task.xml').replaceAll('PowerOffVM_Task', 'CheckInstantClone_Task'),
      },
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const task = await vim.checkInstantClone(SOURCE, { name: 'ic-1' });

    // Assess
    expect(task.value).toBe('task-4712');
    expect(vc.calls('CheckInstantClone_Task')[0]?.body).toMatch(
      /<(\w+:)?_this type="VirtualMachineProvisioningChecker">ProvChecker<\/(\w+:)?_this><(\w+:)?vm type="VirtualMachine">vm-42</,
    );
  });
});
