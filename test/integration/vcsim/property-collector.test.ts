import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { child, childrenNamed, childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, findAll, findDeep, VimTestClient } from './vim-client.js';

const PC = ['PropertyCollector', 'propertyCollector'] as const;

// govmomi's recursive folder traversal: named TraversalSpecs referenced by SelectionSpec, plus xsi:type on each.
const FOLDER_TRAVERSAL = `
<selectSet xsi:type="TraversalSpec"><name>visitFolders</name><type>Folder</type><path>childEntity</path><skip>false</skip>
  <selectSet xsi:type="SelectionSpec"><name>visitFolders</name></selectSet>
  <selectSet xsi:type="SelectionSpec"><name>dcToVm</name></selectSet>
</selectSet>
<selectSet xsi:type="TraversalSpec"><name>dcToVm</name><type>Datacenter</type><path>vmFolder</path><skip>false</skip>
  <selectSet xsi:type="SelectionSpec"><name>visitFolders</name></selectSet>
</selectSet>`;

describe('vcsim: PropertyCollector', () => {
  let vc: VcSimHandle;
  let client: VimTestClient;
  beforeAll(async () => {
    vc = await startVcSim({ taskDurationMs: 30, inventory: { vms: 25 } });
    client = new VimTestClient(vc.url);
    expectOk(await client.login());
  });
  afterAll(() => vc.close());

  /** A new PropertyCollector with one filter (full updates), as the SDKs set one up to wait for changes. */
  async function collectorWithFilter(spec: string): Promise<string> {
    const pc = (await client.ref('CreatePropertyCollector', PC))!;
    await client.ref(
      'CreateFilter',
      ['PropertyCollector', pc],
      `<spec>${spec}</spec><partialUpdates>false</partialUpdates>`,
    );
    return pc;
  }

  /** The filter spec of every VM's name, through a ContainerView. */
  const vmNamesIn = (view: string) =>
    `<propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path></selectSet></objectSet>`;

  async function containerView(): Promise<string> {
    const view = await client.ref(
      'CreateContainerView',
      ['ViewManager', 'ViewManager'],
      '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>',
    );
    return view!;
  }

  it('reads nested paths with typed values and reports unknown paths in missingSet', async () => {
    // Prepare
    const vm = vc.sim.listVms()[0]!;
    // Act
    const props = await client.props('VirtualMachine', vm.moref, [
      'name',
      'runtime.powerState',
      'parent',
      'guest.ipAddress',
    ]);
    const reply = await client.call(
      'RetrievePropertiesEx',
      PC,
      `<specSet><propSet><type>VirtualMachine</type><pathSet>no.such.path</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm.moref}</obj></objectSet></specSet><options/>`,
    );
    // Assess
    expect(props.get('name')?.xsiType).toBe('string');
    expect(props.get('runtime.powerState')?.xsiType).toBe('VirtualMachinePowerState');
    expect(props.get('parent')?.attributes['type']).toBe('Folder');
    expect(props.get('guest.ipAddress')?.text).toBe(vm.guest.ipAddress);
    const missing = findDeep(reply.body, 'missingSet')!;
    expect(childText(missing, 'path')).toBe('no.such.path');
    expect(child(child(missing, 'fault')!, 'fault')?.xsiType).toBe('InvalidProperty');
  });

  it('walks a ContainerView and wraps moref arrays in ArrayOfManagedObjectReference', async () => {
    // Prepare
    const view = await containerView();
    // Act
    const props = await client.props('ContainerView', view, ['view']);
    // Assess
    const val = props.get('view')!;
    expect(val.xsiType).toBe('ArrayOfManagedObjectReference');
    expect(val.children).toHaveLength(25);
    expect(val.children[0]?.local).toBe('ManagedObjectReference');
    expect(val.children[0]?.xsiType).toBe('ManagedObjectReference');
  });

  it('pages RetrievePropertiesEx results with tokens until the last page', async () => {
    // Prepare
    const view = await containerView();
    const spec = `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path></selectSet></objectSet></specSet>`;
    // Act
    const first = await client.call(
      'RetrievePropertiesEx',
      PC,
      `${spec}<options><maxObjects>10</maxObjects></options>`,
    );
    const names = findAll(first.body, 'objects').map((o) => o);
    let token = childText(child(first.body, 'returnval')!, 'token');
    const pages = [names.length];
    while (token) {
      const next = await client.call('ContinueRetrievePropertiesEx', PC, `<token>${token}</token>`);
      expectOk(next);
      pages.push(findAll(next.body, 'objects').length);
      token = childText(child(next.body, 'returnval')!, 'token');
    }
    const stale = await client.call('ContinueRetrievePropertiesEx', PC, '<token>999999</token>');
    // Assess
    expect(pages).toEqual([10, 10, 5]);
    expect(faultType(stale)).toBe('InvalidProperty');
  });

  it('follows TraversalSpec and SelectionSpec references from the root folder', async () => {
    // Act
    const reply = await client.call(
      'RetrieveProperties',
      PC,
      `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj><skip>true</skip>${FOLDER_TRAVERSAL}</objectSet></specSet>`,
    );
    // Assess
    expectOk(reply);
    const returnvals = childrenNamed(reply.body, 'returnval');
    expect(returnvals).toHaveLength(25);
    expect(returnvals.every((r) => child(r, 'obj')?.attributes['type'] === 'VirtualMachine')).toBe(true);
  });

  it('returns every property with all=true and no returnval when nothing matches', async () => {
    // Prepare
    const vm = vc.sim.listVms()[0]!;
    // Act
    const all = await client.call(
      'RetrievePropertiesEx',
      PC,
      `<specSet><propSet><type>ManagedEntity</type><all>true</all></propSet><objectSet><obj type="VirtualMachine">${vm.moref}</obj></objectSet></specSet><options/>`,
    );
    const none = await client.call(
      'RetrievePropertiesEx',
      PC,
      `<specSet><propSet><type>HostSystem</type><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm.moref}</obj></objectSet></specSet><options/>`,
    );
    // Assess
    const names = findAll(all.body, 'propSet').map((p) => childText(p, 'name'));
    expect(names).toEqual(expect.arrayContaining(['name', 'config', 'runtime', 'guest', 'summary', 'resourcePool']));
    expect(none.xml).toContain('<RetrievePropertiesExResponse xmlns="urn:vim25"/>');
  });

  it('blocks WaitForUpdatesEx until a change, then reports modify with the echoed version', async () => {
    // Prepare
    const vm = vc.sim.listVms()[1]!;
    const pc = await collectorWithFilter(
      `<propSet><type>VirtualMachine</type><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm.moref}</obj></objectSet>`,
    );
    const enter = await client.call('WaitForUpdatesEx', ['PropertyCollector', pc], '<options/>');
    const version = childText(child(enter.body, 'returnval')!, 'version');
    // Act
    const pending = client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', pc],
      `<version>${version}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`,
    );
    await new Promise((r) => setTimeout(r, 50));
    vc.sim.setPowerState(vm.moref, 'poweredOff');
    const modify = await pending;
    // Assess
    expect(childText(findDeep(enter.body, 'objectSet')!, 'kind')).toBe('enter');
    expect(childText(findDeep(modify.body, 'objectSet')!, 'kind')).toBe('modify');
    expect(findDeep(modify.body, 'val')?.text).toBe('poweredOff');
    expect(Number(childText(child(modify.body, 'returnval')!, 'version'))).toBeGreaterThan(Number(version));
    vc.sim.setPowerState(vm.moref, 'poweredOn');
  });

  it('returns no returnval when maxWaitSeconds passes without a change', async () => {
    // Prepare
    const pc = await collectorWithFilter(
      '<propSet><type>Folder</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj></objectSet>',
    );
    const enter = await client.call('WaitForUpdatesEx', ['PropertyCollector', pc], '<options/>');
    const version = childText(child(enter.body, 'returnval')!, 'version');
    // Act
    const started = Date.now();
    const idle = await client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', pc],
      `<version>${version}</version><options><maxWaitSeconds>1</maxWaitSeconds></options>`,
    );
    // Assess
    expect(idle.xml).toContain('<WaitForUpdatesExResponse xmlns="urn:vim25"/>');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('fails a pending wait with RequestCanceled on CancelWaitForUpdates and rejects unknown versions', async () => {
    // Prepare
    const pc = await collectorWithFilter(
      '<propSet><type>Folder</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj></objectSet>',
    );
    await client.call('WaitForUpdatesEx', ['PropertyCollector', pc], '<options/>');
    // Act: cancel until the wait has reached the server and ended (a cancel that arrives first has nothing to end)
    let settled = false;
    const pending = client
      .call(
        'WaitForUpdatesEx',
        ['PropertyCollector', pc],
        '<version>1</version><options><maxWaitSeconds>20</maxWaitSeconds></options>',
      )
      .finally(() => {
        settled = true;
      });
    let cancel = await client.call('CancelWaitForUpdates', ['PropertyCollector', pc]);
    for (let i = 0; i < 100 && !settled; i++) {
      await new Promise((r) => setTimeout(r, 20));
      cancel = await client.call('CancelWaitForUpdates', ['PropertyCollector', pc]);
    }
    const canceled = await pending;
    const bogus = await client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', pc],
      '<version>banana</version><options/>',
    );
    // Assess
    expect(cancel.status).toBe(200);
    expect(faultType(canceled)).toBe('RequestCanceled');
    expect(faultType(bogus)).toBe('InvalidCollectorVersion');
  });

  it('reports a clone entering a ContainerView filter and a destroyed VM leaving it', async () => {
    // Prepare
    const view = await containerView();
    const pc = await collectorWithFilter(vmNamesIn(view));
    const enter = await client.call('WaitForUpdatesEx', ['PropertyCollector', pc], '<options/>');
    const version = childText(child(enter.body, 'returnval')!, 'version');
    const source = vc.sim.listVms()[0]!.moref;
    // Act
    await client.ref('InstantClone_Task', ['VirtualMachine', source], '<spec><name>watched</name><location/></spec>');
    const update = await client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', pc],
      `<version>${version}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`,
    );
    // Assess
    expect(findAll(enter.body, 'objectSet')).toHaveLength(25);
    const objectUpdate = findDeep(update.body, 'objectSet')!;
    expect(childText(objectUpdate, 'kind')).toBe('enter');
    expect(findDeep(objectUpdate, 'val')?.text).toBe('watched');
  });

  it('hands out at most maxObjectUpdates per answer, says truncated, and reports the rest next', async () => {
    // Prepare: a filter over every VM (25, and the clones earlier tests made).
    const total = vc.sim.listVms().length;
    const view = await containerView();
    const pc = await collectorWithFilter(vmNamesIn(view));
    const page = async (version: string) =>
      client.call(
        'WaitForUpdatesEx',
        ['PropertyCollector', pc],
        `${version ? `<version>${version}</version>` : ''}<options><maxWaitSeconds>0</maxWaitSeconds><maxObjectUpdates>10</maxObjectUpdates></options>`,
      );
    const read = (answer: Awaited<ReturnType<typeof page>>) => {
      const set = child(answer.body, 'returnval')!;
      return {
        version: childText(set, 'version') ?? '',
        objects: findAll(answer.body, 'objectSet').map((o) => childText(o, 'obj')),
        truncated: childText(set, 'truncated'),
      };
    };
    // Act
    const first = read(await page(''));
    const second = read(await page(first.version));
    const third = read(await page(second.version));
    const zero = await client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', pc],
      '<options><maxObjectUpdates>0</maxObjectUpdates></options>',
    );
    // Assess
    expect([first.objects.length, second.objects.length, third.objects.length]).toEqual([10, 10, total - 20]);
    expect([first.truncated, second.truncated, third.truncated]).toEqual(['true', 'true', undefined]);
    expect(new Set([...first.objects, ...second.objects, ...third.objects]).size).toBe(total);
    expect(faultType(zero)).toBe('InvalidArgument');
  });

  it('reports kind=leave when a watched VM is destroyed', async () => {
    // Prepare
    const vm = vc.sim.listVms()[2]!;
    const pc = await collectorWithFilter(
      `<propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm.moref}</obj></objectSet>`,
    );
    const enter = await client.call('WaitForUpdatesEx', ['PropertyCollector', pc], '<options/>');
    const version = childText(child(enter.body, 'returnval')!, 'version');
    vc.sim.setPowerState(vm.moref, 'poweredOff');
    // Act
    await client.waitForTask((await client.ref('Destroy_Task', ['VirtualMachine', vm.moref]))!);
    const update = await client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', pc],
      `<version>${version}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`,
    );
    // Assess
    const objectUpdate = findDeep(update.body, 'objectSet')!;
    expect(childText(objectUpdate, 'kind')).toBe('leave');
    expect(childText(objectUpdate, 'obj')).toBe(vm.moref);
  });

  it('gives each session its own default propertyCollector, as pyVmomi\u2019s WaitForTask expects', async () => {
    // Prepare
    const other = new VimTestClient(vc.url);
    await other.login('someone', 'else');
    const [vmA, vmB] = [vc.sim.listVms()[3]!, vc.sim.listVms()[4]!];
    const filterOn = (c: VimTestClient, vm: string) =>
      c.ref(
        'CreateFilter',
        PC,
        `<spec><propSet><type>VirtualMachine</type><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></spec><partialUpdates>false</partialUpdates>`,
      );
    await filterOn(client, vmA.moref);
    await filterOn(other, vmB.moref);
    const enterA = await client.call('WaitForUpdates', PC, '<version></version>');
    const enterB = await other.call('WaitForUpdates', PC, '<version></version>');
    // Act: both block on the same moref; a change to B's VM must wake only B
    const pendingA = client.call(
      'WaitForUpdatesEx',
      PC,
      `<version>${childText(child(enterA.body, 'returnval')!, 'version')}</version><options><maxWaitSeconds>1</maxWaitSeconds></options>`,
    );
    const pendingB = other.call(
      'WaitForUpdatesEx',
      PC,
      `<version>${childText(child(enterB.body, 'returnval')!, 'version')}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`,
    );
    await new Promise((r) => setTimeout(r, 50));
    vc.sim.setPowerState(vmB.moref, 'suspended');
    const [a, b] = await Promise.all([pendingA, pendingB]);
    // Assess
    expect(findAll(enterA.body, 'obj').map((o) => o.text)).toEqual([vmA.moref]);
    expect(findAll(enterB.body, 'obj').map((o) => o.text)).toEqual([vmB.moref]);
    expect(a.xml).toContain('<WaitForUpdatesExResponse xmlns="urn:vim25"/>');
    expect(findDeep(b.body, 'val')?.text).toBe('suspended');
    vc.sim.setPowerState(vmB.moref, 'poweredOn');
  });

  it('answers FindChild and FindByUuid, empty when nothing matches', async () => {
    // Prepare
    const vm = vc.sim.listVms()[0]!;
    // Act
    const dc = await client.ref(
      'FindChild',
      ['SearchIndex', 'SearchIndex'],
      '<entity type="Folder">group-d1</entity><name>DC0</name>',
    );
    const missing = await client.call(
      'FindChild',
      ['SearchIndex', 'SearchIndex'],
      '<entity type="Folder">group-d1</entity><name>nope</name>',
    );
    const byUuid = await client.ref(
      'FindByUuid',
      ['SearchIndex', 'SearchIndex'],
      `<uuid>${vm.instanceUuid}</uuid><vmSearch>true</vmSearch><instanceUuid>true</instanceUuid>`,
    );
    // Assess
    expect(dc).toMatch(/^datacenter-/);
    expect(missing.xml).toContain('<FindChildResponse xmlns="urn:vim25"/>');
    expect(byUuid).toBe(vm.moref);
  });
});
