import type { EntityRecord } from '../model.js';
import { isKindOf } from '../model.js';
import type { SimState } from '../state.js';

/**
 * The live `view` of a ContainerView: entities under `container` (children only, or the whole subtree when
 * `recursive`) whose type is one of `types` or a subtype (all types when empty). Computed on every read, so VMs
 * created by instant clones appear at once and WaitForUpdates sees the change.
 */
export function containerViewContents(state: SimState, viewMoref: string): string[] {
  const view = state.views.get(viewMoref);
  if (!view) return [];
  const container = state.inventory.get(view.container);
  if (!container) return [];
  const wanted = (type: string): boolean => view.types.length === 0 || view.types.some((t) => isKindOf(type, t));
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (entity: EntityRecord, depth: number): void => {
    for (const childMoref of viewChildren(state, entity)) {
      if (seen.has(childMoref)) continue;
      seen.add(childMoref);
      const child = state.inventory.get(childMoref);
      if (!child) continue;
      if (wanted(child.type)) out.push(childMoref);
      if (view.recursive) visit(child, depth + 1);
    }
  };
  visit(container, 0);
  return out;
}

// Like FindChild's children, plus a host's VMs; VMs are reached through folders or through their pool/host,
// never both twice thanks to `seen`.
function viewChildren(state: SimState, entity: EntityRecord): string[] {
  if (entity.type === 'HostSystem') {
    return state.inventory
      .vms()
      .filter((vm) => vm.host === entity.moref)
      .map((vm) => vm.moref);
  }
  return state.inventory.childrenOf(entity);
}
