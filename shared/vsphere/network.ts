/**
 * Resolves a network moref into the NIC backing an instant clone edit needs: the portgroup name for a standard
 * portgroup, or the switch UUID and portgroup key for a distributed one (two RetrievePropertiesEx: portgroup, then
 * its switch).
 */
import { VimFaultError } from './errors.js';
import { child, moRef, type Node, text } from './soap/parse.js';
import type { CallOptions, MoRef, NicNetwork } from './types.js';

/** Reads some properties of one object; the client's RetrievePropertiesEx. */
export type Retrieve = (obj: MoRef, paths: readonly string[], opts?: CallOptions) => Promise<Map<string, Node>>;

/**
 * @throws VimFaultError `InvalidArgument` for a moref that is not a network, or a distributed portgroup without a
 * switch (e.g. an NSX opaque network, which instaclone does not support).
 */
export async function readNetwork(network: MoRef, retrieve: Retrieve, opts?: CallOptions): Promise<NicNetwork> {
  if (network.type === 'Network') {
    const props = await retrieve(network, ['name'], opts);
    return { kind: 'standard', name: text(props.get('name')) ?? '', moref: network as MoRef<'Network'> };
  }
  if (network.type !== 'DistributedVirtualPortgroup') {
    throw new VimFaultError('InvalidArgument', `${network.type} is not a network`, { invalidProperty: 'network' });
  }
  const portgroup = await retrieve(network, ['key', 'config.distributedVirtualSwitch'], opts);
  const dvs =
    moRef(portgroup.get('config.distributedVirtualSwitch')) ??
    moRef(child(portgroup.get('config'), 'distributedVirtualSwitch'));
  const portgroupKey = text(portgroup.get('key')) ?? network.value;
  if (!dvs) {
    throw new VimFaultError('InvalidArgument', `portgroup ${network.value} has no distributed switch`, {
      invalidProperty: 'network',
    });
  }
  const switchUuid = text((await retrieve(dvs, ['uuid'], opts)).get('uuid')) ?? '';
  return { kind: 'distributed', switchUuid, portgroupKey, moref: network };
}
