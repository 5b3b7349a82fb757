/**
 * vSphere faults → {@link VimFaultError}. Faults reach us in three shapes, all handled here:
 * a SOAP Fault (HTTP 500, `detail/<XFault xsi:type="X">`), a task's `info.error` (a LocalizedMethodFault),
 * and a `missingSet` entry of RetrievePropertiesEx (how an expired session shows up there).
 * The fault type is always read from `xsi:type`, falling back to the element name without its `Fault` suffix.
 */
import { VimFaultError } from './errors.js';
import { asArray, child, isRecord, type Node, plain, text, xsiType } from './soap/parse.js';

const UNKNOWN_FAULT = 'UnknownFault';

function fieldsOf(faultNode: Node): Record<string, unknown> {
  const fields = plain(faultNode);
  if (!isRecord(fields)) return {};
  const { _type: _ignored, ...rest } = fields;
  return rest;
}

/**
 * Reads the `<soapenv:Fault>` element parsed by node-soap.
 * @returns the typed fault; `UnknownFault` (terminal) when the detail names no vSphere type.
 */
export function faultFromSoapFault(fault: Node): VimFaultError {
  const faultString = text(child(fault, 'faultstring')) ?? '';
  const detail = child(fault, 'detail');
  if (isRecord(detail)) {
    for (const [elementName, node] of Object.entries(detail)) {
      if (elementName === 'attributes' || elementName === '$value') continue;
      const faultType = xsiType(node) ?? elementName.replace(/Fault$/, '');
      return new VimFaultError(faultType, faultString, fieldsOf(node));
    }
  }
  const code = text(child(fault, 'faultcode'));
  return new VimFaultError(UNKNOWN_FAULT, faultString || `SOAP fault ${code ?? ''}`.trim(), {});
}

/**
 * Reads a LocalizedMethodFault (`TaskInfo.error`, `missingSet.fault`): `<fault xsi:type="X">…</fault>` plus
 * `<localizedMessage>`.
 */
export function faultFromLocalizedMethodFault(node: Node): VimFaultError {
  const faultNode = child(node, 'fault');
  const faultType = xsiType(faultNode) ?? UNKNOWN_FAULT;
  const message = text(child(node, 'localizedMessage')) ?? '';
  return new VimFaultError(faultType, message, fieldsOf(faultNode));
}

/**
 * Finds the first `missingSet` fault of a RetrieveResult's objects whose type is `faultType`.
 * An unauthenticated RetrievePropertiesEx answers with such entries instead of a SOAP fault.
 */
export function missingSetFault(retrieveResult: Node, faultType: string): VimFaultError | undefined {
  for (const object of asArray(child(retrieveResult, 'objects'))) {
    for (const missing of asArray(child(object, 'missingSet'))) {
      const fault = faultFromLocalizedMethodFault(child(missing, 'fault'));
      if (fault.faultType === faultType) return fault;
    }
  }
  return undefined;
}
