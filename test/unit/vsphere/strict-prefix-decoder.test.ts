import sax from 'sax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVimClient } from '#shared/vsphere/index';
import { CASES, caseRoutes } from './client-requests.js';
import { countingCredentials, type FakeVcenter, type Recorded, startFakeVcenter } from './fake-vcenter.js';

const XSD = 'http://www.w3.org/2001/XMLSchema';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** The primitive types a literal-prefix decoder knows (govmomi's `xsd:` table, trimmed to what vim25 uses). */
const XSD_TYPES = new Set(['xsd:string', 'xsd:int', 'xsd:long', 'xsd:short', 'xsd:boolean', 'xsd:dateTime']);
const VIM_TYPE = /^[A-Z][A-Za-z0-9]*$/;

interface Decoded {
  /** OptionValues (config / extraConfig), only those whose value is literally `xsd:string`. */
  options: Record<string, string>;
  /** Every `xsi:type` the decoder could not resolve by its literal name. */
  unknownTypes: string[];
}

/**
 * A decoder as strict as govmomi's: it does not resolve prefixes. `xsi:type` must be spelled `xsi:type` with `xsi`
 * and `xsd` declared on the Envelope, a primitive must be literally `xsd:<name>`, a vim25 type unprefixed in the
 * default namespace; an OptionValue whose value is typed any other way is dropped.
 */
function decodeStrictly(xml: string): Decoded {
  const parser = sax.parser(true, { xmlns: false });
  const decoded: Decoded = { options: {}, unknownTypes: [] };
  const path: string[] = [];
  let option: { key?: string; value?: string; typed?: boolean } | undefined;
  let text = '';
  // Element names resolve as usual (local names); only the type *values* are matched literally.
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  parser.onopentag = (tag) => {
    const name = local(tag.name);
    const attributes = tag.attributes as Record<string, string>;
    if (path.length === 0) {
      if (attributes['xmlns:xsd'] !== XSD || attributes['xmlns:xsi'] !== XSI) decoded.unknownTypes.push('(envelope)');
    }
    for (const attribute of Object.keys(attributes)) {
      const stray = attribute.startsWith('xmlns:') && path.length > 0;
      if (stray || (attribute.endsWith(':type') && attribute !== 'xsi:type')) decoded.unknownTypes.push(attribute);
    }
    const type = attributes['xsi:type'];
    if (type !== undefined && !XSD_TYPES.has(type) && !VIM_TYPE.test(type)) decoded.unknownTypes.push(type);
    if (name === 'config' || name === 'extraConfig') option = {};
    if (option && name === 'value') option.typed = type === 'xsd:string';
    path.push(name);
    text = '';
  };
  parser.ontext = (t) => {
    text += t;
  };
  parser.onclosetag = (tagName) => {
    const name = local(tagName);
    path.pop();
    if (option && name === 'key') option.key = text;
    if (option && name === 'value' && option.typed) option.value = text;
    if ((name === 'config' || name === 'extraConfig') && option) {
      if (option.key !== undefined && option.value !== undefined) decoded.options[option.key] = option.value;
      option = undefined;
    }
  };
  parser.write(xml).close();
  return decoded;
}

describe('vim25 client: a server that matches type names by their literal prefix reads every value', () => {
  let vc: FakeVcenter;
  const sent: Recorded[] = [];
  beforeAll(async () => {
    for (const { act, routes } of CASES) {
      vc = await startFakeVcenter({ ...caseRoutes(), ...routes?.() });
      await act(createVimClient({ url: vc.url, credentials: countingCredentials() }));
      sent.push(...vc.requests);
      await vc.close();
    }
  });
  afterAll(() => vc?.close());

  it('decodes every request of every kind without an unknown type', () => {
    // Act
    const unknown = sent.flatMap((request) => decodeStrictly(request.body).unknownTypes);

    // Assess
    expect(new Set(sent.map((r) => r.method))).toEqual(new Set(CASES.map((c) => c.method)));
    expect(unknown).toEqual([]);
  });

  it('reads the guestinfo and the job marker of an instant clone, and the extraConfig of a reconfigure', () => {
    // Act
    const clones = sent.filter((r) => r.method === 'InstantClone_Task').map((r) => decodeStrictly(r.body).options);
    const reconfigs = sent.filter((r) => r.method === 'ReconfigVM_Task').map((r) => decodeStrictly(r.body).options);

    // Assess
    expect(clones).toContainEqual({ 'guestinfo.ci.job': '42 & <more>', 'instaclone.jobId': 'job-1' });
    expect(reconfigs).toContainEqual({ 'guestinfo.instaclone.runner': 'JIT' });
  });

  it('drops a value typed with a prefix declared on the element, as the client used to send it', () => {
    // Prepare: the old wire format, from before the canonical envelope
    const before =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="' +
      XSI +
      '"><soap:Body><vim25:InstantClone_Task xmlns:vim25="urn:vim25"><vim25:spec><vim25:config xsi:type="vim25:OptionValue" xmlns:vim25="urn:vim25"><vim25:key>instaclone.jobId</vim25:key><vim25:value xsi:type="ns1:string" xmlns:ns1="' +
      XSD +
      '">job-1</vim25:value></vim25:config></vim25:spec></vim25:InstantClone_Task></soap:Body></soap:Envelope>';

    // Act
    const decoded = decodeStrictly(before);

    // Assess
    expect(decoded.options).toEqual({});
    expect(decoded.unknownTypes).toContain('ns1:string');
  });
});
