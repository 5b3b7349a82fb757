import { randomUUID } from 'node:crypto';
import { dropsKey, type FaultRule, injectedFault } from '../fault-injection.js';
import type { NicRecord, VmRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { moref } from '../soap/vim-value.js';
import type { SimState } from '../state.js';
import type { TaskWork } from '../tasks.js';
import { cloneFolder } from './clone-folder.js';
import { type InstantCloneSpec, readInstantCloneSpec } from './instant-clone-spec.js';
import type { MethodContext, MethodDefinition } from './method.js';

/** Running sources get one delta disk per clone; at this depth vCenter fails the clone (KB 67186). */
export const MAX_DELTA_DISK_DEPTH = 255;

/**
 * `VirtualMachine.InstantClone_Task` (reference §2.8, §3). The spec is validated synchronously (SOAP faults); the
 * name is reserved in the target folder when the task is created, so of two concurrent clones with one name the
 * second ends in DuplicateName. Operational failures are task errors: InvalidPowerState (source not powered on),
 * DuplicateName, SystemError (delta-disk chain limit), injected faults.
 */
export const instantClone: MethodDefinition = {
  on: ['VirtualMachine'],
  run: (ctx) => {
    const { state } = ctx;
    const source = state.inventory.getVm(ctx.self.value)!;
    const spec = readInstantCloneSpec(ctx.request, source, (m) => state.typeOf(m));
    const folder = cloneFolder(state.inventory, source, spec.folder?.value);
    const reserved = reserve(state, folder, spec.name);
    const task = state.tasks.create({
      name: 'InstantClone_Task',
      descriptionId: 'VirtualMachine.instantClone',
      entity: moref('VirtualMachine', source.moref),
      entityName: source.name,
      userName: ctx.session?.userName ?? '',
      durationMs: state.options.taskDurationMs,
      work: cloneWork(ctx, source, spec, folder, reserved),
    });
    source.recentTasks = [...source.recentTasks.slice(-9), task.moref];
    state.stats.maxConcurrentCloneTasks = Math.max(
      state.stats.maxConcurrentCloneTasks,
      state.tasks.active('InstantClone_Task'),
    );
    return moref('Task', task.moref);
  },
};

/** True when the name was free (neither an existing child of the folder nor reserved by a clone in flight). */
function reserve(state: SimState, folder: string, name: string): boolean {
  const names = state.reservedNames.get(folder) ?? new Set<string>();
  if (names.has(name) || existingByName(state, folder, name)) return false;
  names.add(name);
  state.reservedNames.set(folder, names);
  return true;
}

function existingByName(state: SimState, folder: string, name: string): string | undefined {
  return state.inventory.vmInFolder(folder, name);
}

function cloneWork(
  ctx: MethodContext,
  source: VmRecord,
  spec: InstantCloneSpec,
  folder: string,
  reserved: boolean,
): TaskWork {
  const { state } = ctx;
  const release = (): void => {
    if (reserved) state.reservedNames.get(folder)?.delete(spec.name);
  };
  return {
    start: () => {
      if (!reserved) {
        const existing = existingByName(state, folder, spec.name);
        throw faults.duplicateName(spec.name, existing ? moref('VirtualMachine', existing) : moref('Folder', folder));
      }
      checkSource(state, source);
    },
    complete: () => {
      checkSource(state, source);
      if (!state.inventory.getFolder(folder)) throw faults.managedObjectNotFound('Folder', folder);
      if (ctx.injected?.effect === 'taskFault') throw injectedFault(ctx.injected, source.moref);
      const applied = ctx.injected?.effect === 'dropSpec' ? dropSpec(spec, ctx.injected) : spec;
      const clone = createClone(state, source, applied, folder);
      release();
      if (ctx.injected?.effect === 'orphan') throw injectedFault(ctx.injected, source.moref);
      return moref('VirtualMachine', clone.moref);
    },
    abandon: release,
  };
}

/** The spec as a server that skipped some of its typed values applies it (fault injection `dropSpec`). */
function dropSpec(spec: InstantCloneSpec, rule: FaultRule): InstantCloneSpec {
  return {
    ...spec,
    config: spec.config.filter(([key]) => !dropsKey(rule, key)),
    deviceEdits: rule.macs
      ? spec.deviceEdits.map(({ addressType: _a, macAddress: _m, ...edit }) => edit)
      : spec.deviceEdits,
  };
}

function checkSource(state: SimState, source: VmRecord): void {
  if (!state.inventory.getVm(source.moref)) throw faults.managedObjectNotFound('VirtualMachine', source.moref);
  if (source.powerState !== 'poweredOn') throw faults.invalidPowerState('poweredOn', source.powerState);
  if (!source.frozen && source.deltaDiskDepth >= MAX_DELTA_DISK_DEPTH) throw faults.deltaDiskChainLimit();
}

function createClone(state: SimState, source: VmRecord, spec: InstantCloneSpec, folder: string): VmRecord {
  const inv = state.inventory;
  const datastore = spec.datastore?.value ?? source.datastore;
  const dsName = inv.get(datastore)?.name ?? 'LocalDS_0';
  const sourceDisks = source.disks;
  const sourceDepth = source.deltaDiskDepth;
  if (!source.frozen) growSourceChain(source);
  const clone = inv.addVm({
    ...source,
    moref: inv.newMoref('vm'),
    name: spec.name,
    folder,
    pool: spec.pool?.value ?? source.pool,
    datastore,
    powerState: 'poweredOn',
    frozen: false,
    extraConfig: { ...source.extraConfig, ...Object.fromEntries(spec.config) },
    nics: source.nics.map((nic) => cloneNic(state, nic, spec)),
    ports: source.ports.map((port) => {
      const edit = spec.deviceEdits.find((e) => e.target === 'port' && e.key === port.key);
      return { ...port, fileName: edit?.fileName ?? port.fileName };
    }),
    biosUuid: spec.biosUuid ?? randomUUID(),
    instanceUuid: randomUUID(),
    // Until the guest re-IPs, tools report the source's identity (reference §3.3 "stale guest identity").
    guest: { ...source.guest },
    deltaDiskDepth: sourceDepth + 1,
    disks: sourceDisks.map((disk) => ({
      ...disk,
      fileName: `[${dsName}] ${spec.name}/${spec.name}-000001.vmdk`,
      parentFileNames: [disk.fileName, ...(disk.parentFileNames ?? [])],
    })),
    bootTime: new Date(),
    recentTasks: [],
    staleGuest: true,
  });
  reidentifyLater(state, clone);
  return clone;
}

/**
 * After `guestIpDelayMs`, a clone's guest stops reporting its source's identity and reports its own: a new IP and
 * its name as host name (the in-guest script's re-identification). Also called for clones a restarted simulator
 * loads before they re-identified.
 */
export function reidentifyLater(state: SimState, clone: VmRecord): void {
  state.later(state.options.guestIpDelayMs, () => {
    const inv = state.inventory;
    if (inv.getVm(clone.moref) !== clone || clone.powerState !== 'poweredOn') return;
    clone.guest = { ipAddress: inv.allocateIp(), hostName: clone.name.toLowerCase() };
    delete clone.staleGuest;
    inv.changed();
  });
}

// The running source gets a fresh delta disk on top of the point the clone branched from.
function growSourceChain(source: VmRecord): void {
  source.deltaDiskDepth += 1;
  const suffix = String(source.deltaDiskDepth).padStart(6, '0');
  source.disks = source.disks.map((disk) => ({
    ...disk,
    fileName: disk.fileName.replace(/(-\d{6})?\.vmdk$/, `-${suffix}.vmdk`),
    parentFileNames: [disk.fileName, ...(disk.parentFileNames ?? [])],
  }));
}

function cloneNic(state: SimState, nic: NicRecord, spec: InstantCloneSpec): NicRecord {
  const edit = spec.deviceEdits.find((e) => e.target === 'nic' && e.key === nic.key);
  const manual = edit?.addressType === 'manual' && edit.macAddress !== undefined;
  let connected = nic.connected;
  if (edit?.migrateConnect === 'disconnect') connected = false;
  if (edit?.migrateConnect === 'connect') connected = true;
  return {
    ...nic,
    macAddress: manual ? edit.macAddress! : state.inventory.allocateMac(),
    addressType: manual ? 'manual' : 'assigned',
    connected,
    startConnected: edit?.startConnected ?? nic.startConnected,
    allowGuestControl: edit?.allowGuestControl ?? nic.allowGuestControl,
    network: edit?.network ?? nic.network,
    // The running source owns its DVS port; the clone gets a new one.
    portKey: undefined,
  };
}
