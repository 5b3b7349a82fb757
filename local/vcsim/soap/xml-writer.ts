import type { VimValue } from './vim-value.js';

/**
 * Serialises vim25 values and SOAP envelopes exactly as vCenter does (reference §1.2): the four namespace
 * declarations on `soapenv:Envelope`, `xmlns="urn:vim25"` on the response element, `xsi:type` on polymorphic slots,
 * `ArrayOfX` wrappers inside anyType slots and a self-closing element for void responses.
 */

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"\n' +
  ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"\n' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
  '<soapenv:Body>\n';
const ENVELOPE_CLOSE = '\n</soapenv:Body>\n</soapenv:Envelope>';

/** Wraps body content (one element) in vCenter's response envelope. */
export function envelope(bodyXml: string): string {
  return ENVELOPE_OPEN + bodyXml + ENVELOPE_CLOSE;
}

/** Escapes text content and attribute values (quotes included, so one function serves both). */
export function escapeXml(text: string): string {
  // Most values (names, morefs, enums) need no escaping; testing first avoids a replace per value on big results.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * `<Method>Response xmlns="urn:vim25">` with one `returnval` per item (array returns repeat it), or the
 * self-closing void form when there is nothing to return (also used for "not found" answers such as FindChild).
 */
export function methodResponse(method: string, returnval: VimValue | readonly VimValue[] | undefined): string {
  const values = returnval === undefined ? [] : Array.isArray(returnval) ? returnval : [returnval as VimValue];
  if (values.length === 0) return `<${method}Response xmlns="urn:vim25"/>`;
  let inner = '';
  for (const value of values) inner += writeElement('returnval', value, false);
  return `<${method}Response xmlns="urn:vim25">${inner}</${method}Response>`;
}

/**
 * Writes one element. `typed` is true for anyType slots (`val`, `result`, `value` of OptionValue…): primitives then
 * carry `xsi:type="xsd:…"`, enums their enum type, morefs `xsi:type="ManagedObjectReference"` and arrays become
 * `ArrayOfX` wrappers whose items are named after the item type.
 */
export function writeElement(name: string, value: VimValue, typed: boolean): string {
  switch (value.kind) {
    case 'any':
      return writeElement(name, value.value, true);
    case 'primitive': {
      const type = typed ? ` xsi:type="xsd:${value.xsdType}"` : '';
      return `<${name}${type}>${escapeXml(value.value)}</${name}>`;
    }
    case 'enum': {
      const type = typed ? ` xsi:type="${value.type}"` : '';
      return `<${name}${type}>${escapeXml(value.value)}</${name}>`;
    }
    case 'moref': {
      const type = typed ? ' xsi:type="ManagedObjectReference"' : '';
      return `<${name} type="${value.type}"${type}>${escapeXml(value.value)}</${name}>`;
    }
    case 'object': {
      const type = typed || value.polymorphic ? ` xsi:type="${value.type}"` : '';
      return `<${name}${type}>${writeFields(value.fields)}</${name}>`;
    }
    case 'array': {
      if (!typed) {
        // Outside anyType slots an array is just the element repeated; callers use writeFields for that case.
        let out = '';
        for (const item of value.items) out += writeElement(name, item, false);
        return out;
      }
      const arrayType = `ArrayOf${arrayTypeSuffix(value.itemType)}`;
      if (value.items.length === 0) return `<${name} xsi:type="${arrayType}"/>`;
      let out = '';
      for (const item of value.items) out += writeElement(value.itemType, item, true);
      return `<${name} xsi:type="${arrayType}">${out}</${name}>`;
    }
  }
}

/** Data object fields in order; unset fields vanish, arrays repeat the field element. */
export function writeFields(fields: ReadonlyArray<readonly [string, VimValue | undefined]>): string {
  let out = '';
  for (const [fieldName, fieldValue] of fields) {
    if (fieldValue === undefined) continue;
    out += writeElement(fieldName, fieldValue, false);
  }
  return out;
}

// vim25 names primitive arrays after the capitalised XSD type: ArrayOfString, ArrayOfInt, ArrayOfLong.
function arrayTypeSuffix(itemType: string): string {
  return itemType.charAt(0).toUpperCase() + itemType.slice(1);
}
