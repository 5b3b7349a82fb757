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

type PlacementField = 'folder' | 'pool' | 'datastore';
const PLACEMENT: Record<PlacementField, { type: string; moref: RegExp; folder?: string }> = {
  folder: { type: 'Folder', moref: /^group-[a-z]\d+$/, folder: 'vm' },
  pool: { type: 'ResourcePool', moref: /^resgroup-(v)?\d+$/ },
  datastore: { type: 'Datastore', moref: /^datastore-\d+$/, folder: 'datastore' },
};

/**
 * Where the clone goes, as a moref. An inventory path is looked up; a moref (`group-v4`, `resgroup-9`,
 * `datastore-12`) is taken as it is; anything else is a bare name, never sent as a moref: a datastore or VM folder
 * name is looked up in the source's datacenter (`/<dc>/datastore/<name>`, `/<dc>/vm/<name>`, the datacenter taken
 * from the source's or the folder's inventory path, as for network names). A bare pool name is refused: pool names
 * are unique only among siblings, so it takes a path (`/DC0/host/DC0_C0/Resources/ci`) or a moref.
 * Rejects with a terminal InvalidArgument naming the field when a name cannot be resolved.
 */
export const placementRef = async (
  plan: ClonePlan,
  field: PlacementField,
  resolve: Lookups['resolve'],
): Promise<MoRef | undefined> => {
  const given = plan[field];
  const { type, moref, folder } = PLACEMENT[field];
  if (given === undefined) return undefined;
  if ('path' in given) return resolve(given.path, type);
  if (moref.test(given.moref)) return { type, value: given.moref };
  const name = given.moref;
  if (!folder) {
    throw invalid(field, `"${name}" is not a ${field} moref (such as resgroup-9): give a ${field} by inventory path`);
  }
  const dc = datacenterOf(plan);
  if (!dc) throw invalid(field, `A ${field} by name ("${name}") needs the source given by inventory path`);
  try {
    return await resolve(`/${dc}/${folder}/${name}`, type);
  } catch (err) {
    if ((err as { faultType?: string }).faultType !== 'ManagedObjectNotFound') throw err;
    throw invalid(field, `No ${field} named "${name}" in datacenter ${dc}`);
  }
};

/**
 * Builds the VirtualMachineInstantCloneSpec of a plan against the source's devices: NICs and ports given by label
 * become device keys, placements become morefs ({@link placementRef}), networks (standard or distributed portgroups) are looked up
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
    placementRef(plan, 'pool', lookups.resolve),
    placementRef(plan, 'datastore', lookups.resolve),
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
