import { faults } from '../soap/faults.js';
import { child, childrenNamed, childText, parseBoolean, readMoRef, type XmlNode } from '../soap/xml-reader.js';
import type { ObjectSpec, PropertyFilterSpec, PropertySpec, SelectionSpec } from '../state.js';

/**
 * Reads a `PropertyFilterSpec` (`specSet` of RetrieveProperties(Ex), `spec` of CreateFilter). The kind of each
 * `selectSet` entry comes from its `xsi:type` (any prefix) or, when a client omits it, from the presence of `path`.
 * @throws VimFault InvalidArgument when an objectSet lacks `obj` or a TraversalSpec lacks `type`/`path`.
 */
export function readFilterSpec(node: XmlNode): PropertyFilterSpec {
  return {
    propSet: childrenNamed(node, 'propSet').map(readPropertySpec),
    objectSet: childrenNamed(node, 'objectSet').map(readObjectSpec),
    reportMissingObjectsInResults: parseBoolean(childText(node, 'reportMissingObjectsInResults')) ?? false,
  };
}

function readPropertySpec(node: XmlNode): PropertySpec {
  const type = childText(node, 'type');
  if (!type) throw faults.invalidArgument('type');
  return {
    type,
    all: parseBoolean(childText(node, 'all')) ?? false,
    pathSet: childrenNamed(node, 'pathSet').map((p) => p.text.trim()),
  };
}

function readObjectSpec(node: XmlNode): ObjectSpec {
  const obj = readMoRef(child(node, 'obj'));
  if (!obj) throw faults.invalidArgument('obj');
  return {
    obj,
    skip: parseBoolean(childText(node, 'skip')) ?? false,
    selectSet: childrenNamed(node, 'selectSet').map(readSelectionSpec),
  };
}

function readSelectionSpec(node: XmlNode): SelectionSpec {
  const isTraversal =
    node.xsiType === 'TraversalSpec' || (node.xsiType === undefined && child(node, 'path') !== undefined);
  const name = childText(node, 'name');
  if (!isTraversal) {
    if (!name) throw faults.invalidArgument('selectSet');
    return { kind: 'selection', name };
  }
  const type = childText(node, 'type');
  const path = childText(node, 'path');
  if (!type || !path) throw faults.invalidArgument('selectSet');
  return {
    kind: 'traversal',
    name: name || undefined,
    type,
    path,
    skip: parseBoolean(childText(node, 'skip')) ?? false,
    selectSet: childrenNamed(node, 'selectSet').map(readSelectionSpec),
  };
}
