import type { VmRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { child, childrenNamed, childText } from '../soap/xml-reader.js';
import type { SimState } from '../state.js';
import { entityTask } from './entity-task.js';
import { type DeviceEdit, readDeviceEdit } from './instant-clone-spec.js';
import type { MethodDefinition } from './method.js';

/**
 * `VirtualMachine.ReconfigVM_Task`, limited to what the service needs after an instant clone: NIC edits
 * (reconnect with `connectable.connected`, MAC, network) and file-backed port edits from `spec.deviceChange`, and
 * `spec.extraConfig` (an empty value removes the key, as on vCenter). Other spec members are accepted and ignored.
 * Device edits are validated synchronously (InvalidDeviceSpec), as for InstantClone_Task.
 */
export const reconfigure: MethodDefinition = {
  on: ['VirtualMachine'],
  run: (ctx) => {
    const { state } = ctx;
    const vm = state.inventory.getVm(ctx.self.value)!;
    const spec = child(ctx.request, 'spec');
    if (!spec) throw faults.invalidArgument('spec');
    const edits = childrenNamed(spec, 'deviceChange').map((d, i) => readDeviceEdit(d, i, vm, (m) => state.typeOf(m)));
    const extraConfig = childrenNamed(spec, 'extraConfig').map(
      (o) => [childText(o, 'key') ?? '', childText(o, 'value') ?? ''] as const,
    );
    return entityTask(ctx, 'ReconfigVM_Task', 'reconfigure', (entity) => {
      const current = entity as VmRecord;
      applyEdits(state, current, edits);
      for (const [key, value] of extraConfig) {
        if (value === '') delete current.extraConfig[key];
        else current.extraConfig[key] = value;
      }
    });
  },
};

function applyEdits(state: SimState, vm: VmRecord, edits: DeviceEdit[]): void {
  for (const edit of edits) {
    if (edit.target === 'port') {
      vm.ports = vm.ports.map((p) => (p.key === edit.key && edit.fileName ? { ...p, fileName: edit.fileName } : p));
      continue;
    }
    vm.nics = vm.nics.map((nic) => {
      if (nic.key !== edit.key) return nic;
      const manual = edit.addressType === 'manual' && edit.macAddress !== undefined;
      const reassign = edit.addressType !== undefined && !manual && nic.addressType === 'manual';
      return {
        ...nic,
        connected: vm.powerState === 'poweredOn' ? (edit.connected ?? nic.connected) : false,
        startConnected: edit.startConnected ?? nic.startConnected,
        allowGuestControl: edit.allowGuestControl ?? nic.allowGuestControl,
        network: edit.network ?? nic.network,
        macAddress: manual ? edit.macAddress! : reassign ? state.inventory.allocateMac() : nic.macAddress,
        addressType: manual ? 'manual' : (edit.addressType ?? nic.addressType),
      };
    });
  }
}
