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
  const index = vmIndex(state);
  const visit = (entity: EntityRecord, depth: number): void => {
    for (const childMoref of viewChildren(state, entity, index)) {
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

interface VmIndex {
  readonly byHost: Map<string, string[]>;
  readonly byPool: Map<string, string[]>;
}

// One pass over the VMs per view read, instead of one scan per host and pool (10,000-VM inventories).
function vmIndex(state: SimState): VmIndex {
  const byHost = new Map<string, string[]>();
  const byPool = new Map<string, string[]>();
  for (const vm of state.inventory.vms()) {
    (byHost.get(vm.host) ?? byHost.set(vm.host, []).get(vm.host)!).push(vm.moref);
    (byPool.get(vm.pool) ?? byPool.set(vm.pool, []).get(vm.pool)!).push(vm.moref);
  }
  return { byHost, byPool };
}

// Like FindChild's children, plus a host's VMs; VMs are reached through folders or through their pool/host,
// never both twice thanks to `seen`.
function viewChildren(state: SimState, entity: EntityRecord, index: VmIndex): string[] {
  if (entity.type === 'HostSystem') return index.byHost.get(entity.moref) ?? [];
  if (entity.type === 'ResourcePool') return [...entity.pools, ...(index.byPool.get(entity.moref) ?? [])];
  return state.inventory.childrenOf(entity);
}
