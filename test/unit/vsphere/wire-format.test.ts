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
