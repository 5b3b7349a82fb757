/**
 * Which VMs of vCenter's inventory carry some MACs: one RetrievePropertiesEx over every VM, reached by a recursive
 * traversal from the root folder (folders, datacenters' VM folders, vApps), reading only names and devices, paged
 * ({@link MAC_SCAN_PAGE} VMs an answer, ContinueRetrievePropertiesEx for the rest) so each answer stays well under
 * the answer cap. vCenter has no index of MACs (SearchIndex finds by IP, DNS name and UUID only).
 */
import { mo, typed, type XmlObject } from './soap/envelope.js';
import { asArray, child, moRef, type Node, returnval, text } from './soap/parse.js';
import type { TransportCallOptions, VimArgs, VimMethod } from './soap/transport.js';
import type { MoRef } from './types.js';
import { readVmFacts } from './vm-facts.js';

/** VMs per answer: devices cost a few KiB a VM, so a page stays in single-digit MiB. */
export const MAC_SCAN_PAGE = 500;

/** A VM that carries one of the MACs looked for. */
export type MacHolder = { mac: string; vm: MoRef<'VirtualMachine'>; name: string };

type Call = (method: VimMethod, args: VimArgs, options?: TransportCallOptions) => Promise<Node>;

/** A reference to a TraversalSpec by name: the declared SelectionSpec, so no `xsi:type` (as pyVmomi writes it). */
const selection = (name: string): XmlObject => ({ name });

/** Every VM under `root`: folders recurse into their children, datacenters into their VM folder, vApps into VMs. */
export function everyVmSpec(root: MoRef): XmlObject {
  const folders = typed('TraversalSpec', {
    name: 'folders',
    type: 'Folder',
    path: 'childEntity',
    skip: false,
    selectSet: [selection('folders'), selection('datacenterVms'), selection('vapps')],
  });
  const datacenterVms = typed('TraversalSpec', {
    name: 'datacenterVms',
    type: 'Datacenter',
    path: 'vmFolder',
    skip: false,
    selectSet: [selection('folders')],
  });
  const vapps = typed('TraversalSpec', {
    name: 'vapps',
    type: 'VirtualApp',
    path: 'vm',
    skip: false,
    selectSet: [],
  });
  return {
    propSet: [{ type: 'VirtualMachine', all: false, pathSet: ['name', 'config.hardware.device'] }],
    objectSet: [{ obj: mo(root), skip: true, selectSet: [folders, datacenterVms, vapps] }],
  };
}

/** The holders of `macs` (any case) in one page of a RetrieveResult. */
function holdersIn(result: Node, wanted: ReadonlySet<string>): MacHolder[] {
  const found: MacHolder[] = [];
  for (const object of asArray(child(result, 'objects'))) {
    const vm = moRef<'VirtualMachine'>(child(object, 'obj'));
    if (!vm) continue;
    const props = new Map<string, Node>();
    for (const prop of asArray(child(object, 'propSet'))) {
      const name = text(child(prop, 'name'));
      if (name !== undefined) props.set(name, child(prop, 'val'));
    }
    const facts = readVmFacts(vm, props);
    for (const nic of facts.nics) {
      const mac = nic.macAddress.toLowerCase();
      if (wanted.has(mac)) found.push({ mac, vm, name: facts.name });
    }
  }
  return found;
}

/**
 * The VMs under `root` that carry any of `macs`, every page read (a token left unread would hold the result on
 * vCenter until the session ends). Rejects as the client's calls do.
 */
export async function findVmsWithMacs(
  call: Call,
  collector: MoRef,
  root: MoRef,
  macs: readonly string[],
  options?: TransportCallOptions,
): Promise<MacHolder[]> {
  const wanted = new Set(macs.map((m) => m.toLowerCase()));
  if (wanted.size === 0) return [];
  const specSet = [everyVmSpec(root)];
  let result = returnval(
    await call(
      'RetrievePropertiesEx',
      { _this: mo(collector), specSet, options: { maxObjects: MAC_SCAN_PAGE } },
      options,
    ),
  );
  const found = holdersIn(result, wanted);
  for (let token = text(child(result, 'token')); token !== undefined; token = text(child(result, 'token'))) {
    result = returnval(await call('ContinueRetrievePropertiesEx', { _this: mo(collector), token }, options));
    found.push(...holdersIn(result, wanted));
  }
  return found;
}
