import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { child, childText, parseXml } from '#local/vcsim/soap/xml-reader';
import { expectOk, VimTestClient } from './vim-client.js';

const VALID = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><InstantClone_Task xmlns="urn:vim25"><_this type="VirtualMachine">VM</_this><spec><name>fuzz</name><location><deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>4000</key><addressType>manual</addressType><macAddress>00:50:56:00:00:01</macAddress></device></deviceChange></location><config><key>guestinfo.x</key><value xsi:type="xsd:string">y</value></config></spec></InstantClone_Task></soapenv:Body></soapenv:Envelope>`;

const HOSTILE: Record<string, string> = {
  empty: '',
  whitespace: '   \n ',
  'not xml': 'hello, vCenter',
  'binary junk': '\u0000\u0001\u00ff\ufffe<\u0000>',
  truncated: VALID.slice(0, VALID.length / 2),
  'unclosed tag': '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Login>',
  'mismatched tags': '<a><b></a></b>',
  'two roots': '<a/><b/>',
  'undeclared prefix': '<x:Envelope><x:Body/></x:Envelope>',
  'billion laughs':
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>&lol3;</userName></Login></soapenv:Body></soapenv:Envelope>',
  'external entity':
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>&xxe;</userName></Login></soapenv:Body></soapenv:Envelope>',
  'deep nesting': `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</soapenv:Body></soapenv:Envelope>`,
  'not an envelope': '<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this></Login>',
  'empty body':
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>',
  'missing _this':
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"/></soapenv:Body></soapenv:Envelope>',
  'unknown entity':
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&bogus;</soapenv:Body></soapenv:Envelope>',
  'huge attribute': `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" a="${'x'.repeat(1_000_000)}"><soapenv:Body/></soapenv:Envelope>`,
};

// A small deterministic PRNG so a failing mutation can be replayed from its seed.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, random: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * chars.length);
    const choice = random();
    if (choice < 0.33) chars.splice(at, 1 + Math.floor(random() * 8));
    else if (choice < 0.66) chars.splice(at, 0, '<>&"\'/=:x\u0000'.charAt(Math.floor(random() * 11)));
    else chars.splice(at, 0, ...chars.slice(Math.floor(random() * chars.length), Math.floor(random() * chars.length)));
  }
  return chars.join('');
}

async function post(url: string, cookie: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml', cookie }, body });
  return { status: response.status, text: await response.text() };
}

function expectSoapFault(reply: { status: number; text: string }): void {
  expect(reply.status).toBe(500);
  const fault = child(child(parseXml(reply.text), 'Body')!, 'Fault')!;
  expect(childText(fault, 'faultcode')).toBe('ServerFaultCode');
  expect(child(fault, 'detail')?.children[0]?.xsiType).toBeDefined();
}

describe('vcsim: malformed and hostile XML', () => {
  let vc: VcSimHandle;
  let client: VimTestClient;
  let valid: string;
  beforeAll(async () => {
    vc = await startVcSim({ taskDurationMs: 0 });
    client = new VimTestClient(vc.url);
    await client.login();
    valid = VALID.replace('>VM<', `>${await client.findVm('/DC0/vm/DC0_H0_VM0')}<`);
  });
  afterAll(() => vc.close());

  it.each(Object.entries(HOSTILE))('answers %s with a SOAP fault', async (_name, body) => {
    // Act
    const reply = await post(vc.url, client.cookie ?? '', body);
    // Assess
    expectSoapFault(reply);
    expect(reply.text).not.toContain('root:');
  });

  it('answers 300 random mutations of a valid request with a response or a SOAP fault, and keeps serving', async () => {
    // Prepare
    const random = mulberry32(20261125);
    const statuses = new Set<number>();
    // Act
    for (let i = 0; i < 300; i++) {
      const body = mutate(valid, random).replace('<name>fuzz</name>', `<name>fuzz-${i}</name>`);
      const reply = await post(vc.url, client.cookie ?? '', body);
      statuses.add(reply.status);
      if (reply.status === 500) expectSoapFault(reply);
      else expect(reply.status, body).toBe(200);
    }
    const afterwards = await client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    // Assess
    expect(statuses.has(500)).toBe(true);
    expectOk(afterwards);
  });
});
