import { describe, expect, it } from 'vitest';
import { buildInventory } from '#local/vcsim/default-inventory';
import { resolveOptions } from '#local/vcsim/options';
import { propertyGetter } from '#local/vcsim/properties/object-properties';
import { VM_FAST_PATHS } from '#local/vcsim/properties/vm-fast-paths';
import { selectPath, type VimValue } from '#local/vcsim/soap/vim-value';
import { writeElement } from '#local/vcsim/soap/xml-writer';
import { SimState } from '#local/vcsim/state';

const serialise = (value: VimValue | undefined | symbol): string =>
  value === undefined || typeof value === 'symbol' ? String(value) : writeElement('val', value, true);

describe('vcsim VirtualMachine fast property paths', () => {
  it.each(Object.keys(VM_FAST_PATHS))('reads %s exactly as the generic path does, powered on and off', (path) => {
    // Prepare
    const state = new SimState(
      resolveOptions({ taskDurationMs: 0, guestIpDelayMs: 0, sessionIdleTimeoutMs: 1 }),
      buildInventory(),
    );
    const [on, off] = state.inventory.vms();
    off!.powerState = 'poweredOff';
    const [top, ...rest] = path.split('.');
    for (const vm of [on!, off!]) {
      // Act
      const generic = propertyGetter('VirtualMachine', top!)?.(vm.moref, { state });
      const expected = generic === undefined ? undefined : rest.length ? selectPath(generic, rest) : generic;
      // Assess
      expect(serialise(VM_FAST_PATHS[path]?.(vm))).toBe(serialise(expected));
    }
  });
});
