import { describe, expect, it } from 'vitest';
import { child, childText, type XmlNode } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, useLoggedInSim, type VimTestClient } from './vim-client.js';

const SEARCH_INDEX = ['SearchIndex', 'SearchIndex'] as const;

async function createFolder(client: VimTestClient, parent: string, name: string): Promise<string> {
  const folder = await client.ref('CreateFolder', ['Folder', parent], `<name>${name}</name>`);
  if (!folder) throw new Error('CreateFolder returned nothing');
  return folder;
}

async function cloneInto(client: VimTestClient, source: string, folder: string, name: string): Promise<string> {
  const task = await client.instantClone(
    source,
    name,
    `<spec><name>${name}</name><location><folder type="Folder">${folder}</folder></location></spec>`,
  );
  return childText(await client.waitForTask(task), 'result') ?? '';
}

async function runTask(client: VimTestClient, method: string, self: readonly [string, string], params = '') {
  const task = await client.ref(method, self, params);
  if (!task) throw new Error(`${method} returned no task`);
  return client.waitForTask(task);
}

function faultOf(info: XmlNode): XmlNode | undefined {
  return child(child(info, 'error') ?? info, 'fault');
}

async function pathRef(client: VimTestClient, path: string): Promise<{ type?: string; value?: string }> {
  const reply = await client.call('FindByInventoryPath', SEARCH_INDEX, `<inventoryPath>${path}</inventoryPath>`);
  expectOk(reply);
  const ref = child(reply.body, 'returnval');
  return { type: ref?.attributes['type'], value: ref?.text };
}

describe('vcsim: folders (CreateFolder, Rename_Task, Destroy_Task) and inventory paths', () => {
  const sim = useLoggedInSim();

  it('creates a VM folder that paths find and clones land in, and refuses a second one of that name', async () => {
    // Prepare
    const vmFolder = await sim.client.findVm('/DC0/vm');
    // Act
    const folder = await createFolder(sim.client, vmFolder, 'team-a');
    const clone = await cloneInto(sim.client, sim.source, folder, 'in-team-a');
    const again = await sim.client.call('CreateFolder', ['Folder', vmFolder], '<name>team-a</name>');
    // Assess
    expect(folder).toMatch(/^group-v\d+$/);
    expect(await pathRef(sim.client, '/DC0/vm/team-a')).toEqual({ type: 'Folder', value: folder });
    expect(await pathRef(sim.client, 'DC0/vm/team-a/in-team-a')).toEqual({ type: 'VirtualMachine', value: clone });
    expect(sim.vc.sim.getVm(clone)?.folder).toBe(folder);
    expect(faultType(again)).toBe('DuplicateName');
    const detail = child(again.body, 'detail')!.children[0]!;
    expect(childText(detail, 'name')).toBe('team-a');
    expect(child(detail, 'object')?.text).toBe(folder);
  });

  it('renames a folder; a sibling name or a datacenter folder fails the task', async () => {
    // Prepare
    const vmFolder = await sim.client.findVm('/DC0/vm');
    const folder = await createFolder(sim.client, vmFolder, 'old-name');
    await createFolder(sim.client, vmFolder, 'taken');
    // Act
    const renamed = await runTask(sim.client, 'Rename_Task', ['Folder', folder], '<newName>new-name</newName>');
    const clash = await runTask(sim.client, 'Rename_Task', ['Folder', folder], '<newName>taken</newName>');
    const special = await runTask(sim.client, 'Rename_Task', ['Folder', vmFolder], '<newName>vms</newName>');
    // Assess
    expect(childText(renamed, 'state')).toBe('success');
    expect(childText(renamed, 'descriptionId')).toBe('Folder.rename');
    expect(await pathRef(sim.client, '/DC0/vm/new-name')).toEqual({ type: 'Folder', value: folder });
    expect(await pathRef(sim.client, '/DC0/vm/old-name')).toEqual({ type: undefined, value: undefined });
    expect(faultOf(clash)?.xsiType).toBe('DuplicateName');
    expect(faultOf(special)?.xsiType).toBe('NotSupported');
  });

  it('renames a VM: its new name is taken in its folder and its old one is free again', async () => {
    // Prepare
    const vmFolder = await sim.client.findVm('/DC0/vm');
    const vm = await cloneInto(sim.client, sim.source, vmFolder, 'before');
    // Act
    const renamed = await runTask(sim.client, 'Rename_Task', ['VirtualMachine', vm], '<newName>after</newName>');
    const reused = await runTask(
      sim.client,
      'InstantClone_Task',
      ['VirtualMachine', sim.source],
      '<spec><name>before</name><location/></spec>',
    );
    const taken = await runTask(
      sim.client,
      'InstantClone_Task',
      ['VirtualMachine', sim.source],
      '<spec><name>after</name><location/></spec>',
    );
    // Assess
    expect(childText(renamed, 'state')).toBe('success');
    expect(sim.vc.sim.getVm(vm)?.name).toBe('after');
    expect(childText(reused, 'state')).toBe('success');
    expect(faultOf(taken)?.xsiType).toBe('DuplicateName');
  });

  it('destroys a folder with what it holds, and stops at a powered-on VM as vCenter does', async () => {
    // Prepare
    const vmFolder = await sim.client.findVm('/DC0/vm');
    const emptied = await createFolder(sim.client, vmFolder, 'emptied');
    const offVm = await cloneInto(sim.client, sim.source, emptied, 'off-vm');
    await createFolder(sim.client, emptied, 'nested');
    sim.vc.sim.setPowerState(offVm, 'poweredOff');
    const busy = await createFolder(sim.client, vmFolder, 'busy');
    const first = await cloneInto(sim.client, sim.source, busy, 'first-off');
    const running = await cloneInto(sim.client, sim.source, busy, 'still-on');
    sim.vc.sim.setPowerState(first, 'poweredOff');
    // Act
    const destroyed = await runTask(sim.client, 'Destroy_Task', ['Folder', emptied]);
    const refused = await runTask(sim.client, 'Destroy_Task', ['Folder', busy]);
    // Assess
    expect(childText(destroyed, 'state')).toBe('success');
    expect(await pathRef(sim.client, '/DC0/vm/emptied')).toEqual({ type: undefined, value: undefined });
    expect(sim.vc.sim.getVm(offVm)).toBeUndefined();
    expect(faultOf(refused)?.xsiType).toBe('InvalidPowerState');
    expect(sim.vc.sim.getVm(first)).toBeUndefined();
    expect(sim.vc.sim.getVm(running)?.folder).toBe(busy);
    expect((await pathRef(sim.client, '/DC0/vm/busy')).value).toBe(busy);
  });

  it('finds datastores, resource pools, networks and folders by inventory path and FindChild', async () => {
    // Prepare
    const datastoreFolder = await sim.client.findVm('/DC0/datastore');
    const cluster = await sim.client.findVm('/DC0/host/DC0_C0');
    // Act
    const datastore = await pathRef(sim.client, '/DC0/datastore/LocalDS_0');
    const clusterPool = await pathRef(sim.client, '/DC0/host/DC0_C0/Resources');
    const hostPool = await pathRef(sim.client, 'DC0/host/DC0_H0/Resources');
    const network = await pathRef(sim.client, '/DC0/network/VM Network');
    const byChild = await sim.client.ref(
      'FindChild',
      SEARCH_INDEX,
      `<entity type="Folder">${datastoreFolder}</entity><name>LocalDS_0</name>`,
    );
    const poolChild = await sim.client.ref(
      'FindChild',
      SEARCH_INDEX,
      `<entity type="ClusterComputeResource">${cluster}</entity><name>Resources</name>`,
    );
    const missing = await pathRef(sim.client, '/DC0/datastore/NoSuchDS');
    // Assess
    expect(datastore.type).toBe('Datastore');
    expect(byChild).toBe(datastore.value);
    expect(clusterPool.type).toBe('ResourcePool');
    expect(poolChild).toBe(clusterPool.value);
    expect(hostPool.type).toBe('ResourcePool');
    expect(hostPool.value).not.toBe(clusterPool.value);
    expect(network.type).toBe('Network');
    expect(missing).toEqual({ type: undefined, value: undefined });
  });
});
