import { isKindOf } from '../model.js';
import { faults, localizedMethodFault, type VimFault } from '../soap/faults.js';
import {
  anyType,
  arr,
  moref,
  obj,
  selectPath,
  str,
  UNKNOWN_PATH,
  type VimObject,
  type VimValue,
} from '../soap/vim-value.js';
import type { PropertyFilterSpec, SelectionSpec } from '../state.js';
import { type PropertyContext, propertyGetter, propertyNames } from './object-properties.js';
import { VM_FAST_PATHS } from './vm-fast-paths.js';

/** The properties of one object: found values, and per-path faults (vim25 `ObjectContent`). */
export interface ObjectContent {
  readonly obj: { type: string; value: string };
  readonly props: Array<readonly [string, VimValue]>;
  readonly missing: Array<readonly [string, VimFault]>;
}

/**
 * Reads one (possibly nested) property path of an object. Returns `undefined` when the property exists but is unset
 * (vCenter then leaves it out of `propSet`) and `UNKNOWN_PATH` when the type has no such property.
 */
export function readProperty(
  ctx: PropertyContext,
  type: string,
  value: string,
  path: string,
): VimValue | undefined | typeof UNKNOWN_PATH {
  const fast = type === 'VirtualMachine' ? VM_FAST_PATHS[path] : undefined;
  if (fast) {
    const vm = ctx.state.inventory.getVm(value);
    return vm ? fast(vm) : undefined;
  }
  const [top, ...rest] = path.split('.');
  const getter = top === undefined ? undefined : propertyGetter(type, top);
  if (!getter) return UNKNOWN_PATH;
  const found = getter(value, ctx);
  if (rest.length === 0 || found === undefined) return found;
  return selectPath(found, rest);
}

/**
 * Evaluates a PropertyFilterSpec (RetrieveProperties semantics, reference §2.5): selects objects (objectSet with
 * skip and TraversalSpec/SelectionSpec), keeps those whose type matches a propSet type (supertypes match
 * subtypes), and reads the requested paths (or all properties). Unknown paths become missingSet InvalidProperty.
 * @throws VimFault ManagedObjectNotFound for an unknown objectSet.obj unless reportMissingObjectsInResults.
 */
export function collect(ctx: PropertyContext, spec: PropertyFilterSpec): ObjectContent[] {
  const results: ObjectContent[] = [];
  // Objects of one type share their path list; computing it once matters for 10,000-VM views.
  const pathsByType = new Map<string, string[] | undefined>();
  for (const moref of selectObjects(ctx, spec)) {
    const type = ctx.state.typeOf(moref);
    if (type === undefined) {
      results.push({ obj: { type: 'ManagedEntity', value: moref }, props: [], missing: [] });
      continue;
    }
    if (!pathsByType.has(type)) pathsByType.set(type, pathsFor(spec, type));
    const paths = pathsByType.get(type);
    if (paths) results.push(objectContent(ctx, type, moref, paths));
  }
  return results;
}

function pathsFor(spec: PropertyFilterSpec, type: string): string[] | undefined {
  const propSets = spec.propSet.filter((p) => isKindOf(type, p.type));
  if (propSets.length === 0) return undefined;
  const paths = new Set<string>();
  for (const p of propSets) for (const path of p.all ? propertyNames(type) : p.pathSet) paths.add(path);
  return [...paths];
}

function objectContent(ctx: PropertyContext, type: string, value: string, paths: string[]): ObjectContent {
  const content: ObjectContent = { obj: { type, value }, props: [], missing: [] };
  if (!ctx.session && ctx.state.options.unauthenticatedRetrieve === 'missingSet') {
    // vCenter answers an unauthenticated retrieval with data-less objects (reference §2.3), not with a fault.
    if (type !== 'SessionManager') for (const path of paths) content.missing.push([path, faults.notAuthenticated()]);
    return content;
  }
  for (const path of paths) {
    const found = readProperty(ctx, type, value, path);
    if (found === UNKNOWN_PATH) content.missing.push([path, faults.invalidProperty(path)]);
    else if (found !== undefined) content.props.push([path, found]);
  }
  return content;
}

function selectObjects(ctx: PropertyContext, spec: PropertyFilterSpec): string[] {
  const selected: string[] = [];
  const seen = new Set<string>();
  const add = (moref: string): void => {
    if (!seen.has(moref)) {
      seen.add(moref);
      selected.push(moref);
    }
  };
  for (const objectSpec of spec.objectSet) {
    const { value } = objectSpec.obj;
    if (ctx.state.typeOf(value) === undefined) {
      if (!spec.reportMissingObjectsInResults) throw faults.managedObjectNotFound(objectSpec.obj.type, value);
      add(value);
      continue;
    }
    if (!objectSpec.skip) add(value);
    const named = new Map<string, SelectionSpec & { kind: 'traversal' }>();
    collectNames(objectSpec.selectSet, named);
    traverse(ctx, value, objectSpec.selectSet, named, add, new Set());
  }
  return selected;
}

function collectNames(specs: SelectionSpec[], named: Map<string, SelectionSpec & { kind: 'traversal' }>): void {
  for (const spec of specs) {
    if (spec.kind !== 'traversal') continue;
    if (spec.name !== undefined && !named.has(spec.name)) {
      named.set(spec.name, spec);
      collectNames(spec.selectSet, named);
    } else if (spec.name === undefined) collectNames(spec.selectSet, named);
  }
}

// `visited` holds "moref|path" pairs so recursive traversal sets (govmomi's FolderTraversalSpec) terminate.
function traverse(
  ctx: PropertyContext,
  moref: string,
  specs: SelectionSpec[],
  named: Map<string, SelectionSpec & { kind: 'traversal' }>,
  add: (moref: string) => void,
  visited: Set<string>,
): void {
  const type = ctx.state.typeOf(moref);
  if (type === undefined) return;
  for (const selection of specs) {
    const spec = selection.kind === 'traversal' ? selection : named.get(selection.name);
    if (!spec || !isKindOf(type, spec.type)) continue;
    const key = `${moref}|${spec.type}|${spec.path}`;
    if (visited.has(key)) continue;
    visited.add(key);
    for (const next of morefsOf(readProperty(ctx, type, moref, spec.path))) {
      if (!spec.skip) add(next);
      traverse(ctx, next, spec.selectSet, named, add, visited);
    }
  }
}

function morefsOf(value: VimValue | undefined | typeof UNKNOWN_PATH): string[] {
  if (value === undefined || value === UNKNOWN_PATH) return [];
  if (value.kind === 'moref') return [value.value];
  if (value.kind === 'array') return value.items.flatMap((item) => (item.kind === 'moref' ? [item.value] : []));
  return [];
}

/** `ObjectContent` as a vim25 data object: obj, propSet (DynamicProperty with anyType val), missingSet. */
export function objectContentValue(content: ObjectContent): VimObject {
  return obj('ObjectContent', [
    ['obj', moref(content.obj.type, content.obj.value)],
    [
      'propSet',
      arr(
        'DynamicProperty',
        content.props.map(([name, val]) =>
          obj('DynamicProperty', [
            ['name', str(name)],
            ['val', anyType(val)],
          ]),
        ),
      ),
    ],
    [
      'missingSet',
      arr(
        'MissingProperty',
        content.missing.map(([path, fault]) =>
          obj('MissingProperty', [
            ['path', str(path)],
            ['fault', localizedMethodFault(fault)],
          ]),
        ),
      ),
    ],
  ]);
}
