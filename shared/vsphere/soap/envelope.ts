/**
 * Request envelopes byte for byte as pyVmomi writes them (govmomi and rbvmomi send the same shape): `soapenv`,
 * `soapenc`, `xsi` and `xsd` declared once on the Envelope, the method element in the default namespace
 * `urn:vim25`, no other prefixes, `xsi:type` only where the declared type is abstract or `anyType` (a vim25 type
 * name unprefixed, a primitive as `xsd:string`), text escaped as `&amp;` `&lt;` `&gt;`. A server that matches type
 * names by their literal prefix (govmomi's decoder does) reads every value. Fixtures captured from pyVmomi
 * (`test/fixtures/soap/pyvmomi-requests`) pin the bytes.
 */
import type { MoRef } from '../types.js';

const XSI_TYPE = Symbol('xsi:type');
const TEXT = Symbol('text');
const MOREF_TYPE = Symbol('moref type');

/** An element's content: text, a nested object (fields in schema order), or repeated elements (an array). */
export type XmlValue = string | number | boolean | undefined | XmlObject | readonly XmlValue[];
/** Fields in XSD sequence order; symbol keys carry the element's `xsi:type`, moref type or text. */
export interface XmlObject {
  readonly [field: string]: XmlValue;
  readonly [XSI_TYPE]?: string;
  readonly [TEXT]?: string;
  readonly [MOREF_TYPE]?: string;
}

/** `<x type="T">value</x>`. */
export function mo(ref: MoRef): XmlObject {
  return { [MOREF_TYPE]: ref.type, [TEXT]: ref.value };
}

/** A data object whose declared type is abstract (or `anyType`): `<x xsi:type="VirtualVmxnet3">…</x>`. */
export function typed(type: string, fields: Record<string, XmlValue>): XmlObject {
  return { [XSI_TYPE]: type, ...fields };
}

/** A string in an `anyType` slot (OptionValue.value): `<value xsi:type="xsd:string">…</value>`. */
export function xsdString(value: string): XmlObject {
  return { [XSI_TYPE]: 'xsd:string', [TEXT]: value };
}

const ENVELOPE_START =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" ' +
  'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n';

/** Element text: `&`, `<` and `>` escaped (quotes need no escaping outside attributes). */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapeAttribute = (value: string) => escapeText(value).replace(/"/g, '&quot;');

/** One element (or, for an array, one per item); undefined writes nothing. */
export function writeElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item: XmlValue) => writeElement(name, item)).join('');
  if (typeof value !== 'object') return `<${name}>${escapeText(String(value))}</${name}>`;
  const object = value as XmlObject;
  let attributes = '';
  if (object[XSI_TYPE] !== undefined) attributes += ` xsi:type="${escapeAttribute(object[XSI_TYPE])}"`;
  if (object[MOREF_TYPE] !== undefined) attributes += ` type="${escapeAttribute(object[MOREF_TYPE])}"`;
  const content =
    object[TEXT] !== undefined
      ? escapeText(object[TEXT])
      : Object.entries(object)
          .map(([field, item]) => writeElement(field, item))
          .join('');
  return `<${name}${attributes}>${content}</${name}>`;
}

/**
 * The whole request: `<Method xmlns="urn:vim25">` with `args` (in WSDL parameter order, `_this` first) and, when
 * given, the `operationID` SOAP header vCenter writes into its logs.
 */
export function requestEnvelope(method: string, args: Record<string, XmlValue>, operationId?: string): string {
  const header =
    operationId === undefined ? '' : `<soapenv:Header>${writeElement('operationID', operationId)}</soapenv:Header>\n`;
  const body = Object.entries(args)
    .map(([field, value]) => writeElement(field, value))
    .join('');
  return `${ENVELOPE_START}${header}<soapenv:Body><${method} xmlns="urn:vim25">${body}</${method}></soapenv:Body>\n</soapenv:Envelope>`;
}
