/**
 * The part of vCenter's ServiceContent the client uses: the singleton managed objects it calls methods on, and
 * `about.apiVersion`, which becomes the SOAPAction of every later call.
 */
import { VimTransportError } from './errors.js';
import { child, moRef, type Node, returnval, text } from './soap/parse.js';
import type { MoRef } from './types.js';

export interface ServiceContent {
  rootFolder: MoRef<'Folder'>;
  propertyCollector: MoRef<'PropertyCollector'>;
  searchIndex: MoRef<'SearchIndex'>;
  sessionManager: MoRef<'SessionManager'>;
  vmProvisioningChecker?: MoRef<'VirtualMachineProvisioningChecker'>;
  apiVersion: string;
  /** `VirtualCenter` or `HostAgent` (ESXi, where instant clone is unavailable). */
  apiType: string;
}

export const SERVICE_INSTANCE: MoRef<'ServiceInstance'> = { type: 'ServiceInstance', value: 'ServiceInstance' };

function required<T extends string>(node: Node, name: string): MoRef<T> {
  const ref = moRef<T>(child(node, name));
  if (!ref) {
    throw new VimTransportError('bad-response', `ServiceContent has no ${name}`, { retryable: false });
  }
  return ref;
}

/** Reads a RetrieveServiceContentResponse. Throws a bad-response transport error when a needed object is missing. */
export function readServiceContent(response: Node): ServiceContent {
  const content = returnval(response);
  const about = child(content, 'about');
  const checker = moRef<'VirtualMachineProvisioningChecker'>(child(content, 'vmProvisioningChecker'));
  const result: ServiceContent = {
    rootFolder: required(content, 'rootFolder'),
    propertyCollector: required(content, 'propertyCollector'),
    searchIndex: required(content, 'searchIndex'),
    sessionManager: required(content, 'sessionManager'),
    apiVersion: text(child(about, 'apiVersion')) ?? '7.0',
    apiType: text(child(about, 'apiType')) ?? 'VirtualCenter',
  };
  if (checker) result.vmProvisioningChecker = checker;
  return result;
}
