import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CookieJar } from 'tough-cookie';
import { afterEach, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { child, childText, parseXml, type XmlNode } from '#local/vcsim/soap/xml-reader';
import { findDeep } from './vim-client.js';

/**
 * A vim25 client that keeps its session the way Go's net/http cookiejar and browsers do: a standards-following jar
 * (RFC 6265 with secure-context rules; no loopback exception) decides which cookies go back, not the client.
 */
class JarClient {
  readonly jar = new CookieJar(undefined, { allowSecureOnLocal: false });
  lastSetCookie: string | undefined;

  constructor(
    private readonly url: string,
    private readonly ca?: string,
  ) {}

  async call(method: string, self: readonly [string, string], params = ''): Promise<{ status: number; body: XmlNode }> {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><${method} xmlns="urn:vim25"><_this type="${self[0]}">${self[1]}</_this>${params}</${method}></soapenv:Body></soapenv:Envelope>`;
    const cookie = await this.jar.getCookieString(this.url);
    const { status, setCookies, text } = await post(this.url, this.ca, xml, cookie);
    this.lastSetCookie = setCookies[0];
    for (const header of setCookies) await this.jar.setCookie(header, this.url, { ignoreError: true });
    const body = child(parseXml(text), 'Body')?.children[0];
    if (!body) throw new Error(`no SOAP body in ${text}`);
    return { status, body };
  }
}

function post(
  url: string,
  ca: string | undefined,
  body: string,
  cookie: string,
): Promise<{ status: number; setCookies: string[]; text: string }> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca,
        headers: {
          'content-type': 'text/xml; charset="utf-8"',
          soapaction: 'urn:vim25/8.0.3.0',
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            setCookies: res.headers['set-cookie'] ?? [],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const SESSION_MANAGER = ['SessionManager', 'SessionManager'] as const;
const CURRENT_SESSION =
  '<specSet><propSet><type>SessionManager</type><pathSet>currentSession</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet><options/>';

describe('vcsim: a standards-following cookie jar keeps its session', () => {
  let vc: VcSimHandle | undefined;
  afterEach(async () => {
    await vc?.close();
    vc = undefined;
  });

  it.each([
    { transport: 'http', tls: false, secure: false },
    { transport: 'https', tls: true, secure: true },
  ])('over $transport: Login, then currentSession and an authenticated call succeed', async ({ tls, secure }) => {
    // Prepare
    vc = await startVcSim({ tls, taskDurationMs: 0 });
    const client = new JarClient(vc.url, vc.ca);
    // Act
    const login = await client.call('Login', SESSION_MANAGER, '<userName>jar</userName><password>p</password>');
    const setCookie = client.lastSetCookie;
    const session = await client.call(
      'RetrievePropertiesEx',
      ['PropertyCollector', 'propertyCollector'],
      CURRENT_SESSION,
    );
    const found = await client.call(
      'FindByInventoryPath',
      ['SearchIndex', 'SearchIndex'],
      '<inventoryPath>/DC0/vm/DC0_H0_VM0</inventoryPath>',
    );
    // Assess
    expect(login.status).toBe(200);
    expect(setCookie?.includes('Secure')).toBe(secure);
    const userSession = findDeep(session.body, 'val');
    expect(userSession?.xsiType).toBe('UserSession');
    expect(childText(userSession!, 'userName')).toBe('jar');
    expect(childText(userSession!, 'key')).toBe(childText(child(login.body, 'returnval')!, 'key'));
    expect(found.status).toBe(200);
    expect(childText(found.body, 'returnval')).toMatch(/^vm-\d+$/);
  });
});
