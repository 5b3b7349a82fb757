/**
 * What keeps a hostile or broken vCenter answer from exhausting the worker's memory. node-soap turns an answer into
 * an object tree costing up to about 120 bytes per element or attribute, which for a flood of tiny elements (`<a
 * x="1"/>`) is 10 to 15 times the answer. So an answer is read only up to {@link DEFAULT_MAX_ANSWER_BYTES} (the HTTP
 * client stops reading past it), and parsed only with at most {@link MAX_NODES} elements and attributes nested at
 * most {@link MAX_DEPTH} deep; parsing then needs at most the answer's text a few times over plus about 25 MB.
 * Measured figures: shared/vsphere/README.md, *Answer sizes*.
 */
import { VimTransportError } from '../errors.js';

/**
 * Largest answer read by default: twice the largest answer the service's own calls can cause (8.4 MB: a clone
 * carrying the most extraConfig a request may set, 128 keys of 64 KiB); every other call answers under 100 KB.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** Elements and attributes of one answer: 57× the most measured (3,511: a read of 100 tasks at once). */
export const MAX_NODES = 200_000;
/** Nesting: a running source at vSphere's 255-disk delta chain nests its device list 261 deep. */
export const MAX_DEPTH = 1024;

const SLASH = 47;
const QUESTION = 63;
const BANG = 33;

/**
 * Counts the nodes an answer would become (elements, attributes, attribute holders) and the deepest nesting, in one pass
 * without allocating: a tokenizer, not a parser (text and comments are not inspected).
 */
export function measureXml(xml: string): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  let deepest = 0;
  for (let at = xml.indexOf('<'); at !== -1; at = xml.indexOf('<', at + 1)) {
    const next = xml.charCodeAt(at + 1);
    if (next === SLASH) {
      depth--;
      continue;
    }
    if (next === QUESTION || next === BANG) continue;
    const end = xml.indexOf('>', at);
    const last = end === -1 ? xml.length : end;
    nodes++;
    let attributes = 0;
    for (let i = xml.indexOf('=', at); i !== -1 && i < last; i = xml.indexOf('=', i + 1)) attributes++;
    // node-soap gives an element with attributes an object of its own to hold them.
    if (attributes > 0) nodes += attributes + 1;
    if (xml.charCodeAt(last - 1) === SLASH) continue;
    depth++;
    if (depth > deepest) deepest = depth;
  }
  return { nodes, depth: deepest };
}

/**
 * @throws VimTransportError `bad-response` (not retryable: the same answer would come again) when the answer has
 * more nodes or deeper nesting than any vim25 answer the client asks for.
 */
export function checkAnswerShape(xml: string): void {
  const { nodes, depth } = measureXml(xml);
  if (nodes > MAX_NODES || depth > MAX_DEPTH) {
    throw new VimTransportError(
      'bad-response',
      `implausible answer: ${nodes} elements and attributes in ${xml.length} bytes, nested ${depth} deep`,
      { retryable: false },
    );
  }
}
