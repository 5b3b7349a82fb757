import type { QualifiedTag } from 'sax';
import sax from 'sax';

/** The XMLSchema-instance namespace; `type` in it is `xsi:type` whatever prefix the client bound. */
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * One element of a parsed request: local name and namespace URI instead of a prefixed name, the `xsi:type` value
 * with its prefix stripped, and non-namespaced attributes by local name (`type` of a moref). Unknown attributes
 * (pyVmomi's `versionId`, foreign namespaces) are kept but never required.
 */
export interface XmlNode {
  readonly local: string;
  readonly uri: string;
  /** Local part of the `xsi:type` value (`VirtualVmxnet3` for `vim25:VirtualVmxnet3`, `string` for `xsd:string`). */
  readonly xsiType?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  text: string;
}

/** Thrown for input that is not well-formed or breaks a limit; the server answers it with a SOAP fault. */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
}

/** Limits that keep hostile documents cheap to reject. */
export interface XmlLimits {
  /** Deepest element nesting accepted; deeper input is treated as hostile. */
  readonly maxDepth: number;
  /** Most elements accepted in one document. */
  readonly maxElements: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 200_000 };

/**
 * Parses a document namespace-aware (sax strict mode with `xmlns`). Rejects DOCTYPE declarations outright so no
 * entity tricks (billion laughs, external entities) can ever reach the simulator, and enforces depth and size
 * limits. Throws `XmlParseError` for anything that is not a single well-formed root element.
 */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_LIMITS): XmlNode {
  const parser = sax.parser(true, { xmlns: true, position: false });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let elements = 0;
  let failure: Error | undefined;

  parser.onerror = (err) => {
    failure ??= new XmlParseError(firstLine(err.message));
    // sax keeps going after resume(); we stop reading instead by remembering the first error.
    parser.resume();
  };
  parser.ondoctype = () => {
    failure ??= new XmlParseError('DOCTYPE is not allowed');
  };
  parser.onopentag = (tag) => {
    if (failure) return;
    elements += 1;
    if (stack.length >= limits.maxDepth) failure = new XmlParseError(`element nesting deeper than ${limits.maxDepth}`);
    if (elements > limits.maxElements) failure = new XmlParseError(`more than ${limits.maxElements} elements`);
    if (failure) return;
    const qualified = tag as QualifiedTag;
    const node = toNode(qualified);
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else if (root) failure = new XmlParseError('more than one root element');
    else root = node;
    stack.push(node);
  };
  parser.onclosetag = () => {
    if (!failure) stack.pop();
  };
  parser.ontext = (chunk) => {
    const current = stack.at(-1);
    if (current && !failure) current.text += chunk;
  };
  parser.oncdata = (chunk) => {
    const current = stack.at(-1);
    if (current && !failure) current.text += chunk;
  };

  try {
    parser.write(text).close();
  } catch (err) {
    failure ??= new XmlParseError(firstLine(err instanceof Error ? err.message : String(err)));
  }
  if (failure) throw failure instanceof XmlParseError ? failure : new XmlParseError(failure.message);
  if (!root) throw new XmlParseError('no root element');
  return root;
}

function toNode(tag: QualifiedTag): XmlNode {
  const attributes: Record<string, string> = {};
  let xsiType: string | undefined;
  for (const attr of Object.values(tag.attributes)) {
    if (attr.uri === XSI_NS && attr.local === 'type') xsiType = stripPrefix(attr.value);
    else if (attr.uri === '' && attr.prefix === '') attributes[attr.local] = attr.value;
  }
  return { local: tag.local, uri: tag.uri, xsiType, attributes, children: [], text: '' };
}

// The prefix of an xsi:type value may be xsd:, xs:, vim25:, urn:vim25-bound or anything else; the local name is the type.
function stripPrefix(qname: string): string {
  const colon = qname.lastIndexOf(':');
  return colon === -1 ? qname.trim() : qname.slice(colon + 1).trim();
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** The first child with this local name, in any namespace (clients disagree on prefixes, never on local names). */
export function child(node: XmlNode, local: string): XmlNode | undefined {
  return node.children.find((c) => c.local === local);
}

/** All children with this local name, in document order (vim25 arrays are repeated elements). */
export function childrenNamed(node: XmlNode, local: string): XmlNode[] {
  return node.children.filter((c) => c.local === local);
}

/** Trimmed text of a child element, or `undefined` when the element is absent. */
export function childText(node: XmlNode, local: string): string | undefined {
  const found = child(node, local);
  return found === undefined ? undefined : found.text.trim();
}

/** xsd:boolean as vim25 clients send it: `true`/`false`, rbvmomi's `1`/`0`. */
export function parseBoolean(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const value = text.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

/** A moref element `<x type="VirtualMachine">vm-42</x>`; `undefined` when absent or missing its type. */
export function readMoRef(node: XmlNode | undefined): { type: string; value: string } | undefined {
  if (!node) return undefined;
  const type = node.attributes['type'];
  if (type === undefined) return undefined;
  return { type: stripPrefix(type), value: node.text.trim() };
}
