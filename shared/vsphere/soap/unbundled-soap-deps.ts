/**
 * What deployed bundles get instead of `axios`, `axios-ntlm` and `xml-crypto` (esbuild aliases, BUNDLE_ALIASES in
 * infra/constructs/node-function.ts). `soap` imports them for its own HttpClient and for WS-Security signing; the
 * vim25 client uses neither (it hands soap its own HTTP client on node:https, and vCenter takes a session cookie),
 * and together with what they pull in (form-data, mime-db, xpath, xmldom) they are about 440 KiB of every cold
 * start. Any use throws, so a soap upgrade that starts calling them fails the bundle test loudly.
 */
const notBundled = (what: string): never => {
  throw new Error(`${what} is not bundled: the vim25 client never uses soap's own HTTP client or WS-Security`);
};

/** `axios.create()`, as soap's HttpClient constructor would call it. */
export const create = (): never => notBundled('axios');
/** `axios-ntlm`'s client, for soap's NTLM security. */
export const NtlmClient = (): never => notBundled('axios-ntlm');
/** `xml-crypto`'s signer, for soap's WSSecurityCert. */
export class SignedXml {
  constructor() {
    notBundled('xml-crypto');
  }
}
export default { create };
