import type { Inventory } from '../inventory.js';
import type { VmRecord } from '../model.js';
import { faults } from '../soap/faults.js';

/**
 * The folder an InstantClone lands in: `location.folder`, else the VM folder of the source's datacenter.
 * @throws VimFault InvalidArgument (`invalidProperty` = `spec.location.folder`, as vCenter names the member) when the
 *   folder cannot hold VMs (the root folder, a datacenter's host, datastore or network folder, or one below them) or
 *   belongs to another datacenter than the source's host.
 */
export function cloneFolder(inventory: Inventory, source: VmRecord, folder: string | undefined): string {
  const datacenter = inventory.datacenterOf(source.host) ?? inventory.datacenterOf(source.moref);
  if (folder === undefined) return datacenter?.type === 'Datacenter' ? datacenter.vmFolder : source.folder;
  const record = inventory.getFolder(folder);
  const holdsVms = record?.childType.includes('VirtualMachine') ?? false;
  if (!holdsVms || inventory.datacenterOf(folder)?.moref !== datacenter?.moref) {
    throw faults.invalidArgument('spec.location.folder');
  }
  return folder;
}
