import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { child, childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, VimTestClient } from './vim-client.js';

const SOURCE_PATH = '/DC0/vm/DC0_H0_VM0';

function cloneSpec(name: string, location = '', extra = ''): string {
  return `<spec><name>${name}</name><location>${location}</location>${extra}</spec>`;
}

function nicEdit(key: number, body: string): string {
  return `<deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>${key}</key>${body}</device></deviceChange>`;
}

describe('vcsim: InstantClone_Task', () => {
  let vc: VcSimHandle;
  let client: VimTestClient;
  let source: string;

  beforeEach(async () => {
    vc = await startVcSim({ taskDurationMs: 5, guestIpDelayMs: 60_000 });
    client = new VimTestClient(vc.url);
    expectOk(await client.login());
    source = await client.findVm(SOURCE_PATH);
  });
  afterEach(() => vc.close());

  async function clone(spec: string, from = source): Promise<{ task: string; info: ReturnType<typeof child> }> {
    const task = await client.ref('InstantClone_Task', ['VirtualMachine', from], spec);
    if (!task) throw new Error('no task');
    return { task, info: await client.waitForTask(task) };
  }

  it('creates a powered-on clone on the source host with manual MAC, disconnected NIC and guestinfo', async () => {
    // Prepare
    const spec = cloneSpec(
      'web-ic-001',
      nicEdit(
        4000,
        '<connectable><migrateConnect>disconnect</migrateConnect><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>false</connected></connectable><addressType>manual</addressType><macAddress>00:50:56:3a:12:34</macAddress>',
      ),
      '<config xsi:type="OptionValue"><key>guestinfo.ic.hostname</key><value xsi:type="xsd:string">web-ic-001</value></config><biosUuid>4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b</biosUuid>',
    );
    // Act
    const { task, info } = await clone(spec);
    // Assess
    const result = child(info!, 'result');
    expect(childText(info!, 'state')).toBe('success');
    expect(childText(info!, 'name')).toBe('InstantClone_Task');
    expect(childText(info!, 'descriptionId')).toBe('VirtualMachine.instantClone');
    expect(childText(info!, 'entityName')).toBe('DC0_H0_VM0');
    expect(childText(info!, 'key')).toBe(task);
    expect(result?.xsiType).toBe('ManagedObjectReference');
    expect(result?.attributes['type']).toBe('VirtualMachine');
    expect(child(info!, 'reason')?.xsiType).toBe('TaskReasonUser');
    const vm = vc.sim.getVm(result?.text ?? '')!;
    const src = vc.sim.getVm(source)!;
    expect(vm).toMatchObject({
      name: 'web-ic-001',
      powerState: 'poweredOn',
      host: src.host,
      pool: src.pool,
      folder: src.folder,
    });
    expect(vm.nics[0]).toMatchObject({
      macAddress: '00:50:56:3a:12:34',
      addressType: 'manual',
      connected: false,
      startConnected: true,
    });
    expect(vm.extraConfig['guestinfo.ic.hostname']).toBe('web-ic-001');
    expect(vm.biosUuid).toBe('4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b');
    expect(vm.instanceUuid).not.toBe(src.instanceUuid);
  });

  it('gives NICs without a manual MAC a new vCenter-assigned MAC and a new BIOS UUID', async () => {
    // Act
    const { info } = await clone(cloneSpec('auto-mac'));
    // Assess
    const vm = vc.sim.getVm(childText(info!, 'result') ?? '')!;
    const src = vc.sim.getVm(source)!;
    expect(vm.nics[0]?.addressType).toBe('assigned');
    expect(vm.nics[0]?.macAddress).toMatch(/^00:50:56:[89ab][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(vm.nics[0]?.macAddress).not.toBe(src.nics[0]?.macAddress);
    expect(vm.nics[0]?.connected).toBe(true);
    expect(vm.biosUuid).not.toBe(src.biosUuid);
  });

  it('shows the clone through properties: power state, MAC, extraConfig, frozen flag and host', async () => {
    // Prepare
    const { info } = await clone(
      cloneSpec('props', '', '<config><key>guestinfo.k</key><value xsi:type="xsd:string">v</value></config>'),
    );
    const vm = childText(info!, 'result') ?? '';
    // Act
    const props = await client.props('VirtualMachine', vm, [
      'runtime.powerState',
      'runtime.instantCloneFrozen',
      'runtime.host',
      'config.extraConfig',
      'config.hardware.device',
      'resourcePool',
      'parent',
    ]);
    // Assess
    expect(props.get('runtime.powerState')?.text).toBe('poweredOn');
    expect(props.get('runtime.instantCloneFrozen')?.xsiType).toBe('boolean');
    expect(props.get('runtime.host')?.xsiType).toBe('ManagedObjectReference');
    const extra = props.get('config.extraConfig')!;
    expect(extra.xsiType).toBe('ArrayOfOptionValue');
    expect(extra.children[0]?.local).toBe('OptionValue');
    expect(childText(extra.children[0]!, 'key')).toBe('guestinfo.k');
    const devices = props.get('config.hardware.device')!;
    expect(devices.xsiType).toBe('ArrayOfVirtualDevice');
    expect(devices.children.map((d) => d.xsiType)).toContain('VirtualVmxnet3');
  });

  it('fails the task with InvalidPowerState when the source is powered off', async () => {
    // Prepare
    vc.sim.setPowerState(source, 'poweredOff');
    // Act
    const { info } = await clone(cloneSpec('off-clone'));
    // Assess
    const fault = child(child(info!, 'error')!, 'fault')!;
    expect(childText(info!, 'state')).toBe('error');
    expect(fault.xsiType).toBe('InvalidPowerState');
    expect(childText(fault, 'requestedState')).toBe('poweredOn');
    expect(childText(fault, 'existingState')).toBe('poweredOff');
    expect(childText(child(info!, 'error')!, 'localizedMessage')).toBe(
      'The attempted operation cannot be performed in the current state (Powered off).',
    );
    expect(vc.sim.findVmByName('off-clone')).toBeUndefined();
  });

  it('fails with DuplicateName when the name exists in the target folder', async () => {
    // Act
    const { info } = await clone(cloneSpec('DC0_H0_VM1'));
    // Assess
    const fault = child(child(info!, 'error')!, 'fault')!;
    expect(fault.xsiType).toBe('DuplicateName');
    expect(childText(fault, 'name')).toBe('DC0_H0_VM1');
    expect(child(fault, 'object')?.attributes['type']).toBe('VirtualMachine');
    expect(childText(child(info!, 'error')!, 'localizedMessage')).toBe("The name 'DC0_H0_VM1' already exists.");
  });

  it('lets only one of two concurrent clones with the same name succeed', async () => {
    // Act
    const [a, b] = await Promise.all([clone(cloneSpec('twin')), clone(cloneSpec('twin'))]);
    // Assess
    const states = [childText(a.info!, 'state'), childText(b.info!, 'state')].sort();
    expect(states).toEqual(['error', 'success']);
    expect(vc.sim.listVms().filter((vm) => vm.name === 'twin')).toHaveLength(1);
    expect(vc.sim.stats.maxConcurrentCloneTasks).toBeGreaterThanOrEqual(2);
  });

  it('honours location.folder and location.pool', async () => {
    // Prepare
    const pool = vc.sim.findVmByName('DC0_C0_RP0_VM0')!.pool;
    const folder = vc.sim.getVm(source)!.folder;
    // Act
    const { info } = await clone(
      cloneSpec('placed', `<folder type="Folder">${folder}</folder><pool type="ResourcePool">${pool}</pool>`),
    );
    // Assess
    const vm = vc.sim.getVm(childText(info!, 'result') ?? '')!;
    expect(vm.pool).toBe(pool);
    expect(vm.folder).toBe(folder);
  });

  it('faults ManagedObjectNotFound synchronously for an unknown moref in the spec', async () => {
    // Act
    const reply = await client.call(
      'InstantClone_Task',
      ['VirtualMachine', source],
      cloneSpec('x', '<pool type="ResourcePool">resgroup-404</pool>'),
    );
    // Assess
    expect(reply.status).toBe(500);
    expect(faultType(reply)).toBe('ManagedObjectNotFound');
  });

  it('faults InvalidDeviceSpec for a deviceChange that is not an edit of a NIC or file-backed port', async () => {
    // Act
    const add = await client.call(
      'InstantClone_Task',
      ['VirtualMachine', source],
      cloneSpec(
        'x',
        '<deviceChange><operation>add</operation><device xsi:type="VirtualVmxnet3"><key>-1</key></device></deviceChange>',
      ),
    );
    const disk = await client.call(
      'InstantClone_Task',
      ['VirtualMachine', source],
      cloneSpec(
        'x',
        '<deviceChange><operation>edit</operation><device xsi:type="VirtualDisk"><key>2000</key></device></deviceChange>',
      ),
    );
    const badMac = await client.call(
      'InstantClone_Task',
      ['VirtualMachine', source],
      cloneSpec('x', nicEdit(4000, '<addressType>manual</addressType><macAddress>00:50:56:bb:00:01</macAddress>')),
    );
    // Assess
    expect([faultType(add), faultType(disk), faultType(badMac)]).toEqual([
      'InvalidDeviceSpec',
      'InvalidDeviceSpec',
      'InvalidDeviceSpec',
    ]);
  });

  it('faults InvalidArgument for a host other than the source host', async () => {
    // Prepare
    const otherHost = vc.sim.findVmByName('DC0_C0_RP0_VM0')!.host;
    // Act
    const reply = await client.call(
      'InstantClone_Task',
      ['VirtualMachine', source],
      cloneSpec('x', `<host type="HostSystem">${otherHost}</host>`),
    );
    // Assess
    expect(faultType(reply)).toBe('InvalidArgument');
  });

  it('changes the network backing to a distributed portgroup and edits a file-backed serial port', async () => {
    // Prepare
    const pgKey = await client.findVm('/DC0/network/DC0_DVPG0');
    const spec = cloneSpec(
      'moved',
      `<deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>4000</key><backing xsi:type="VirtualEthernetCardDistributedVirtualPortBackingInfo"><port><switchUuid>x</switchUuid><portgroupKey>${pgKey}</portgroupKey></port></backing></device></deviceChange>` +
        '<deviceChange><operation>edit</operation><device xsi:type="VirtualSerialPort"><key>9000</key><backing xsi:type="VirtualSerialPortFileBackingInfo"><fileName>[LocalDS_0] moved/serial0.log</fileName></backing></device></deviceChange>',
    );
    // Act
    const { info } = await clone(spec);
    // Assess
    const vm = vc.sim.getVm(childText(info!, 'result') ?? '')!;
    expect(vm.nics[0]?.network).toBe(pgKey);
    const props = await client.props('VirtualMachine', vm.moref, ['config.hardware.device']);
    expect(props.get('config.hardware.device')?.children.map((d) => d.xsiType)).toContain('VirtualSerialPort');
    expect(JSON.stringify(vc.sim.getVm(vm.moref))).toContain('[LocalDS_0] moved/serial0.log');
  });

  it('grows the running source delta-disk chain by one per clone but not a frozen one', async () => {
    // Act
    await clone(cloneSpec('run-1'));
    const afterRunning = vc.sim.getVm(source)!.deltaDiskDepth;
    vc.sim.setFrozen(source, true);
    await clone(cloneSpec('frozen-1'));
    // Assess
    expect(afterRunning).toBe(1);
    expect(vc.sim.getVm(source)!.deltaDiskDepth).toBe(1);
    expect(vc.sim.findVmByName('frozen-1')?.deltaDiskDepth).toBe(2);
  });

  it('fails with SystemError once the running source reaches 255 delta disks', async () => {
    // Prepare
    vc.sim.getVm(source)!.deltaDiskDepth = 255;
    // Act
    const { info } = await clone(cloneSpec('too-deep'));
    // Assess
    const fault = child(child(info!, 'error')!, 'fault')!;
    expect(fault.xsiType).toBe('SystemError');
    expect(childText(fault, 'reason')).toBe('Launch failure');
  });

  it('reports the source guest IP until guestIpDelayMs passes, then a new one', async () => {
    // Prepare
    const fast = await startVcSim({ taskDurationMs: 0, guestIpDelayMs: 500 });
    const c = new VimTestClient(fast.url);
    try {
      await c.login();
      const src = await c.findVm(SOURCE_PATH);
      const task = await c.ref('InstantClone_Task', ['VirtualMachine', src], cloneSpec('ip-clone'));
      const vm = childText(await c.waitForTask(task!), 'result') ?? '';
      // Act
      const before = (await c.props('VirtualMachine', vm, ['guest.ipAddress'])).get('guest.ipAddress')?.text;
      let after = await c.props('VirtualMachine', vm, ['guest.ipAddress', 'guest.hostName']);
      for (let i = 0; i < 100 && after.get('guest.ipAddress')?.text === before; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = await c.props('VirtualMachine', vm, ['guest.ipAddress', 'guest.hostName']);
      }
      // Assess
      expect(before).toBe(fast.sim.getVm(src)!.guest.ipAddress);
      expect(after.get('guest.ipAddress')?.text).not.toBe(before);
      expect(after.get('guest.hostName')?.text).toBe('ip-clone');
    } finally {
      await fast.close();
    }
  });

  it('powers off and destroys a clone, refusing to destroy it while powered on', async () => {
    // Prepare
    const { info } = await clone(cloneSpec('doomed'));
    const vm = childText(info!, 'result') ?? '';
    // Act
    const destroyOn = await client.waitForTask((await client.ref('Destroy_Task', ['VirtualMachine', vm]))!);
    const off = await client.waitForTask((await client.ref('PowerOffVM_Task', ['VirtualMachine', vm]))!);
    const offAgain = await client.waitForTask((await client.ref('PowerOffVM_Task', ['VirtualMachine', vm]))!);
    const destroy = await client.waitForTask((await client.ref('Destroy_Task', ['VirtualMachine', vm]))!);
    // Assess
    expect(child(child(destroyOn, 'error')!, 'fault')?.xsiType).toBe('InvalidPowerState');
    expect(childText(off, 'state')).toBe('success');
    expect(child(child(offAgain, 'error')!, 'fault')?.xsiType).toBe('InvalidPowerState');
    expect(childText(destroy, 'state')).toBe('success');
    expect(vc.sim.getVm(vm)).toBeUndefined();
  });
});
