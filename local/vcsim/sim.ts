import type { FaultRule } from './fault-injection.js';
import { setPower } from './methods/vm-methods.js';
import type { SimVm } from './model.js';
import type { SimState, SimStats } from './state.js';

/**
 * The simulator's test-facing control surface: inspect the inventory, flip power and frozen states, inject faults
 * and expire sessions, without going through SOAP. Returned VMs are live records: read them, don't mutate them
 * (use the setters so property collectors see the change).
 */
export interface VcSim {
  findVmByName(name: string): SimVm | undefined;
  getVm(moref: string): SimVm | undefined;
  listVms(): SimVm[];
  /** @throws Error when no VM has this moref. */
  setPowerState(moref: string, state: SimVm['powerState']): void;
  /** Test hook standing in for `vmware-rpctool instantclone.freeze`. @throws Error for an unknown or powered-off VM. */
  setFrozen(moref: string, frozen: boolean): void;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Ends every session: the next call of each client faults NotAuthenticated. */
  expireSessions(): void;
  readonly stats: SimStats;
}

/** Builds the VcSim facade over the simulator state. */
export function createVcSim(state: SimState): VcSim {
  const vmOrThrow = (moref: string) => {
    const vm = state.inventory.getVm(moref);
    if (!vm) throw new Error(`vcsim: no VirtualMachine ${moref}`);
    return vm;
  };
  return {
    findVmByName: (name) => state.inventory.vms().find((vm) => vm.name === name),
    getVm: (moref) => state.inventory.getVm(moref),
    listVms: () => state.inventory.vms(),
    setPowerState: (moref, powerState) => {
      setPower(vmOrThrow(moref), powerState);
      state.inventory.changed();
    },
    setFrozen: (moref, frozen) => {
      const vm = vmOrThrow(moref);
      if (frozen && vm.powerState !== 'poweredOn') throw new Error(`vcsim: ${moref} must be powered on to freeze`);
      vm.frozen = frozen;
      state.inventory.changed();
    },
    injectFault: (rule) => state.faults.add(rule),
    clearFaults: () => state.faults.clear(),
    expireSessions: () => state.sessions.expireAll(),
    get stats() {
      return state.stats;
    },
  };
}
