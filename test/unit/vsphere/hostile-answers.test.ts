import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from './fake-vcenter.js';

const run = promisify(execFile);
const CHILD = new URL('./heap-limited-read.ts', import.meta.url).pathname;
const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25">' +
  '<returnval><objects><obj type="VirtualMachine">vm-1001</obj><propSet><name>config.extraConfig</name>' +
  '<val xsi:type="ArrayOfOptionValue">';
const TAIL = '</val></propSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>';

/** An answer body of about `bytes`, `unit` repeated between HEAD and TAIL, written as it is sent (never held whole). */
interface Hostile {
  bytes: number;
  unit: string;
  announceLength: boolean;
}

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** A vCenter that logs in normally and answers RetrievePropertiesEx with the hostile body. */
async function hostileVcenter({ bytes, unit, announceLength }: Hostile): Promise<string> {
  const repeats = Math.ceil((bytes - HEAD.length - TAIL.length) / unit.length);
  const length = HEAD.length + TAIL.length + repeats * unit.length;
  const chunk = unit.repeat(Math.max(1, Math.floor(65_536 / unit.length)));
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const method = /<soapenv:Body><(\w+)/.exec(Buffer.concat(parts).toString())?.[1];
      if (method !== 'RetrievePropertiesEx') {
        const name =
          method === 'Login' ? 'login.xml' : method === 'Logout' ? 'logout.xml' : 'retrieve-service-content.xml';
        res.writeHead(200, { 'content-type': 'text/xml', 'set-cookie': 'vmware_soap_session="x"; Path=/' });
        res.end(fixture(name));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml', ...(announceLength && { 'content-length': length }) });
      res.write(HEAD);
      let left = repeats;
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length / unit.length);
          left -= n;
          if (!res.write(n === chunk.length / unit.length ? chunk : unit.repeat(n)))
            return void res.once('drain', pump);
        }
        res.end(TAIL);
      };
      res.on('error', () => undefined);
      pump();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdk`;
}

/** Runs the client in a child process whose heap is limited to 256 MB; its one JSON line. */
async function readWithHeapOf256MB(url: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', CHILD, url], {
    timeout: 60_000,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

const option = (i: number) => `<OptionValue><key>k${i}</key><value xsi:type="xsd:string">v</value></OptionValue>`;

describe('vim25 client: hostile answers in a worker with a 256 MB heap', { timeout: 90_000 }, () => {
  it.each([
    ['announced by Content-Length', true],
    ['streamed without a length', false],
  ])('ends a 50 MB answer %s in a typed bad-response error', async (_how, announceLength) => {
    // Prepare
    const url = await hostileVcenter({ bytes: 50_000_000, unit: option(1), announceLength });

    // Act
    const seen = await readWithHeapOf256MB(url);

    // Assess
    expect(seen).toMatchObject({ outcome: 'failed', code: 'VIM_TRANSPORT', kind: 'bad-response' });
    expect(seen['message']).toMatch(/answer too large: over 16777216 bytes/);
  });

  it('refuses a flood of tiny elements under the size cap before parsing it', async () => {
    // Prepare: 15 MB of `<a x="1"/>`, which would cost node-soap about 200 MB to parse
    const url = await hostileVcenter({ bytes: 15_000_000, unit: '<a x="1"/>', announceLength: false });

    // Act
    const seen = await readWithHeapOf256MB(url);

    // Assess
    expect(seen).toMatchObject({ outcome: 'failed', code: 'VIM_TRANSPORT', kind: 'bad-response' });
    expect(seen['message']).toMatch(/implausible answer: \d+ elements and attributes/);
  });

  it('still reads a large answer of the shape vCenter sends (15 MB of extraConfig text)', async () => {
    // Prepare: 230 options of 64 KiB (one key, repeated), like a clone carrying the most extraConfig a request may set
    const big = (i: number) =>
      `<OptionValue><key>k${i}</key><value xsi:type="xsd:string">${'x'.repeat(65_536)}</value></OptionValue>`;
    const url = await hostileVcenter({ bytes: 15_000_000, unit: big(0), announceLength: true });

    // Act
    const seen = await readWithHeapOf256MB(url);

    // Assess
    expect(seen).toMatchObject({ outcome: 'read', extraConfigKeys: 1 });
  });
});
