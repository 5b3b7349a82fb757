/**
 * vim25 API versions as numbers that compare. Real vCenter answers in the schema of the version a client asks for
 * in SOAPAction (`urn:vim25/6.7.1`), and strict SDKs (pyVmomi 6.7) reject fields newer than their version, so
 * version-gated fields are omitted for older clients.
 */
export type ApiVersion = readonly number[];

/** `8.0.3.0` → [8, 0, 3, 0]; non-numeric parts count as 0. */
export function parseApiVersion(text: string): ApiVersion {
  return text.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** The version a SOAPAction header asks for (`"urn:vim25/6.7.1"`, quoted or not), if it names one. */
export function soapActionVersion(soapAction: string | undefined): ApiVersion | undefined {
  const match = soapAction?.replace(/"/g, '').match(/^\s*urn:vim25\/([0-9.]+)/);
  return match?.[1] ? parseApiVersion(match[1]) : undefined;
}

/** True when `version` is at least `since`. */
export function atLeast(version: ApiVersion, since: ApiVersion): boolean {
  for (let i = 0; i < Math.max(version.length, since.length); i++) {
    const a = version[i] ?? 0;
    const b = since[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The versions vimServiceVersions.xml lists as prior to 8.0.3.0, as a vCenter 8.0U3 does. */
export const PRIOR_VERSIONS = [
  '8.0.2.0',
  '8.0.1.0',
  '8.0.0.2',
  '8.0.0.1',
  '8.0.0.0',
  '7.0.3.2',
  '7.0.3.1',
  '7.0.3.0',
  '7.0.2.1',
  '7.0.2.0',
  '7.0.1.1',
  '7.0.1.0',
  '7.0.0.2',
  '7.0.0.1',
  '7.0.0.0',
  '6.9.1',
  '6.8.7',
  '6.8.1',
  '6.7.3',
  '6.7.2',
  '6.7.1',
  '6.7',
  '6.6',
  '6.5',
  '6.0',
  '5.5',
  '5.1',
  '5.0',
  '4.1',
  '4.0',
];
