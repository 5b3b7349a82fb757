import { VcenterFaultError } from '../../errors/app-error.js';
import type { InstantCloneSpec, MoRef, NicNetwork, VmFacts } from '../../vsphere/index.js';
import type { ClonePlan, DeviceRef } from '../ports/vm-cloner.js';

/** Resolves inventory paths to morefs, and a network moref to its NIC backing (both cached by the caller). */
export type Lookups = {
  resolve: (path: string, type: string) => Promise<MoRef>;
  network: (ref: MoRef) => Promise<NicNetwork>;
};

const invalid = (field: string, message: string) =>
  new VcenterFaultError('InvalidArgument', message, 'terminal', { invalidProperty: field });

const matches = (device: { key: number; label: string }, ref: DeviceRef) =>
  'key' in ref ? device.key === ref.key : device.label === ref.label;

const deviceKey = <D extends { key: number; label: string }>(devices: D[], ref: DeviceRef, what: string): number => {
  const found = devices.find((d) => matches(d, ref));
  if (!found) throw invalid(what, `The source VM has no ${what} ${'key' in ref ? ref.key : `"${ref.label}"`}`);
  return found.key;
};

/** The datacenter of an inventory path (`/DC0/vm/x` → `DC0`), for names that are only unique per datacenter. */
const datacenterOf = (plan: ClonePlan): string | undefined => {
  const path =
    'path' in plan.source ? plan.source.path : plan.folder && 'path' in plan.folder ? plan.folder.path : undefined;
  return path?.split('/')[1];
};

const placement = async (ref: { path: string } | { moref: string } | undefined, type: string, lookups: Lookups) =>
  ref === undefined ? undefined : 'moref' in ref ? { type, value: ref.moref } : lookups.resolve(ref.path, type);

/**
 * Builds the VirtualMachineInstantCloneSpec of a plan against the source's devices: NICs and ports given by label
 * become device keys, placement paths become morefs, networks (standard or distributed portgroups) are looked up
 * by name in the source's datacenter.
 * Rejects with a terminal VcenterFaultError (InvalidArgument / ManagedObjectNotFound) when something named does not exist.
 */
export const buildInstantCloneSpec = async (
  plan: ClonePlan,
  source: VmFacts,
  folder: MoRef<'Folder'>,
  lookups: Lookups,
): Promise<InstantCloneSpec> => {
  const [pool, datastore] = await Promise.all([
    placement(plan.pool, 'ResourcePool', lookups),
    placement(plan.datastore, 'Datastore', lookups),
  ]);
  const nics = await Promise.all(
    plan.nics.map(async (nic) => {
      const key = deviceKey(source.nics, nic, 'NIC');
      if (nic.network === undefined) return { key, nic };
      const dc = datacenterOf(plan);
      if (!dc) throw invalid('network', 'A network by name needs the source or the folder given by inventory path');
      const network = await lookups.network(await lookups.resolve(`/${dc}/network/${nic.network}`, 'Network'));
      return { key, nic, network };
    }),
  );
  return {
    name: plan.name,
    folder,
    ...(pool && { pool: pool as MoRef<'ResourcePool'> }),
    ...(datastore && { datastore: datastore as MoRef<'Datastore'> }),
    nics: nics.map(({ key, nic, network }) => ({
      key,
      ...(nic.mac && { macAddress: nic.mac }),
      ...(network && { network }),
      ...(nic.connected === false && { startDisconnected: true }),
    })),
    serialPorts: plan.serialPorts.map((p) => ({
      key: deviceKey(source.serialPorts, p, 'serial port'),
      fileName: p.file,
    })),
    parallelPorts: plan.parallelPorts.map((p) => ({
      key: deviceKey(source.parallelPorts, p, 'parallel port'),
      fileName: p.file,
    })),
    extraConfig: plan.extraConfig,
    ...(plan.biosUuid && { biosUuid: plan.biosUuid }),
  };
};
