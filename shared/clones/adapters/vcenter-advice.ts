import type { VimFaultError, VimTransportError } from '../../vsphere/index.js';

const causeCode = (err: VimTransportError): string => {
  const cause = err.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : '';
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/**
 * The fix for a vCenter failure, where one is known, in words an operator can act on: it is appended to the message
 * a job records, so the reason is on the job and not only in the server log. Settings are named as `npm start` reads
 * them, with the stage file's key for AWS.
 *
 * @example
 * adviceFor(new VimTransportError('tls', 'TLS verification failed: self-signed certificate', { retryable: false }));
 * // 'vCenter's certificate is not trusted: set VCENTER_CA_FILE (vcenter.caBundleFile on AWS) to …'
 */
export const adviceFor = (err: VimFaultError | VimTransportError): string | undefined => {
  if (err.code === 'VIM_FAULT') {
    if (err.faultType === 'InvalidLogin')
      return 'vCenter refused the login: check VCENTER_USERNAME and VCENTER_PASSWORD (the vCenter secret on AWS)';
    if (err.faultType === 'NoPermission')
      return "the service account lacks a privilege: give it the role listed in the README's vCenter section";
    return undefined;
  }
  if (err.kind === 'tls')
    return (
      "vCenter's certificate is not trusted: set VCENTER_CA_FILE (vcenter.caBundleFile on AWS) to the PEM bundle of " +
      'the CA that signed it, or VCENTER_INSECURE=true for a lab'
    );
  if (err.kind === 'network' && UNREACHABLE.has(causeCode(err)))
    return 'check VCENTER_URL (vcenter.url on AWS) and the network path to vCenter';
  if (err.kind === 'http-status' && err.status === 404)
    return 'check VCENTER_URL (vcenter.url on AWS): it is the SDK endpoint, e.g. https://vcenter.example.com/sdk';
  return undefined;
};

/** `message`, followed by the advice in parentheses when there is some. */
export const withAdvice = (message: string, err: VimFaultError | VimTransportError): string => {
  const advice = adviceFor(err);
  return advice ? `${message} (${advice})` : message;
};
