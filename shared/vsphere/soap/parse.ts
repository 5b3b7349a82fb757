/**
 * Readers for the object trees node-soap builds from vim25 answers. Our WSDL types return values as
 * `xsd:anyType`, so the trees are untyped: text arrives as strings, an element that occurs once is an object and
 * one that repeats is an array, attributes sit under `attributes` and text next to attributes under `$value`.
 * These helpers turn such nodes into plain values and never throw on unexpected shapes.
 */
import type { MoRef } from '../types.js';

/** A parsed XML node: a string, or an object of children (and maybe `attributes` / `$value`). */
export type Node = unknown;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing → [], single → [value], array → array. */
export function asArray(value: Node): Node[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Child `name` of a node, or undefined. */
export function child(node: Node, name: string): Node {
  return isRecord(node) ? node[name] : undefined;
}

/** Text content of a node (a string, a number, or an object with `$value`). */
export function text(node: Node): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (node instanceof Date) return node.toISOString();
  if (isRecord(node) && '$value' in node) return text(node['$value']);
  return undefined;
}

export function bool(node: Node): boolean | undefined {
  const t = text(node);
  if (t === undefined) return undefined;
  return t === 'true' || t === '1';
}

export function int(node: Node): number | undefined {
  const t = text(node);
  if (t === undefined || t.trim() === '') return undefined;
  const n = Number.parseInt(t, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** Attribute value, namespace prefix of the attribute name ignored (`xsi:type`, `XMLSchema-instance:type`). */
export function attribute(node: Node, localName: string): string | undefined {
  const attrs = child(node, 'attributes');
  if (!isRecord(attrs)) return undefined;
  for (const [key, value] of Object.entries(attrs)) {
    const local = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
    if (local === localName && typeof value === 'string') return value;
  }
  return undefined;
}

/** The `xsi:type` of a node without its prefix (`vim25:TaskInfo` → `TaskInfo`). */
export function xsiType(node: Node): string | undefined {
  const t = attribute(node, 'type');
  if (t === undefined) return undefined;
  return t.includes(':') ? t.slice(t.indexOf(':') + 1) : t;
}

/** `<x type="VirtualMachine">vm-42</x>` → `{ type, value }`; undefined if the node is not a MoRef. */
export function moRef<T extends string = string>(node: Node): MoRef<T> | undefined {
  if (!isRecord(node)) return undefined;
  const attrs = node['attributes'];
  const type = isRecord(attrs) && typeof attrs['type'] === 'string' ? attrs['type'] : undefined;
  const value = text(node['$value']);
  if (type === undefined || value === undefined) return undefined;
  return { type: type as T, value };
}

/**
 * Converts a node into plain data for error fields and debugging: MoRefs become `{ type, value }`, text becomes a
 * string, attributes are dropped, and the `xsi:type` of nested polymorphic values is kept as `_type`.
 */
export function plain(node: Node): unknown {
  if (Array.isArray(node)) return node.map(plain);
  const ref = moRef(node);
  if (ref) return ref;
  if (!isRecord(node)) return text(node) ?? node ?? undefined;
  if ('$value' in node) return text(node);
  const out: Record<string, unknown> = {};
  const type = xsiType(node);
  if (type !== undefined) out['_type'] = type;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'attributes') continue;
    out[key] = plain(value);
  }
  return out;
}

/** The single `returnval` of a `<MethodResponse>` (node-soap gives an array: the WSDL allows several). */
export function returnval(response: Node): Node {
  return asArray(child(response, 'returnval'))[0];
}
