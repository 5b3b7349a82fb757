import { afterEach, beforeEach } from 'vitest';
import { startVcSim, type VcSimHandle, type VcSimOptions } from '#local/vcsim/index';
import { child, childText, parseXml, type XmlNode } from '#local/vcsim/soap/xml-reader';

/** One SOAP exchange as the tests see it: status, Set-Cookie, raw XML and the parsed response element. */
export interface SoapReply {
  status: number;
  setCookie: string | null;
  xml: string;
  /** `<XResponse>` or `<soapenv:Fault>` */
  body: XmlNode;
}

/**
 * A deliberately small vim25 client for simulator tests: it writes the envelope by hand (so tests control the exact
 * wire form) and keeps the session cookie the way pyVmomi does (echoing whatever Set-Cookie said).
 */
export class VimTestClient {
  cookie: string | undefined;

  constructor(readonly url: string) {}

  /** POSTs `<method xmlns="urn:vim25"><_this type=…>…</_this>{params}</method>`. */
  async call(method: string, self: readonly [string, string], params = ''): Promise<SoapReply> {
    const body = `<${method} xmlns="urn:vim25"><_this type="${self[0]}">${self[1]}</_this>${params}</${method}>`;
    return this.raw(
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`,
    );
  }

  /** POSTs a complete envelope as given. */
  async raw(envelope: string, headers: Record<string, string> = {}): Promise<SoapReply> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset="utf-8"',
        soapaction: 'urn:vim25/8.0.3.0',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: envelope,
    });
    const xml = await response.text();
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie;
    const root = parseXml(xml);
    const body = child(root, 'Body')?.children[0];
    if (!body) throw new Error(`no SOAP body in ${xml}`);
    return { status: response.status, setCookie, xml, body };
  }

  async login(user = 'user', password = 'pass'): Promise<SoapReply> {
    return this.call(
      'Login',
      ['SessionManager', 'SessionManager'],
      `<userName>${user}</userName><password>${password}</password>`,
    );
  }

  /** The moref value a call returned in `returnval`, or undefined for an empty response. */
  async ref(method: string, self: readonly [string, string], params = ''): Promise<string | undefined> {
    const reply = await this.call(method, self, params);
    expectOk(reply);
    return childText(reply.body, 'returnval');
  }

  /** InstantClone_Task of `source` with a bare spec (`<spec><name>…</name><location/></spec>` unless given); the task moref. */
  async instantClone(
    source: string,
    name: string,
    spec = `<spec><name>${name}</name><location/></spec>`,
  ): Promise<string> {
    const task = await this.ref('InstantClone_Task', ['VirtualMachine', source], spec);
    if (!task) throw new Error('InstantClone_Task returned no task');
    return task;
  }

  /** FindByInventoryPath; throws when nothing is there. */
  async findVm(path: string): Promise<string> {
    const found = await this.ref(
      'FindByInventoryPath',
      ['SearchIndex', 'SearchIndex'],
      `<inventoryPath>${path}</inventoryPath>`,
    );
    if (!found) throw new Error(`nothing at ${path}`);
    return found;
  }

  /** RetrievePropertiesEx of paths on one object; returns path → `val` node. */
  async props(type: string, value: string, paths: string[]): Promise<Map<string, XmlNode>> {
    const pathSet = paths.map((p) => `<pathSet>${p}</pathSet>`).join('');
    const reply = await this.call(
      'RetrievePropertiesEx',
      ['PropertyCollector', 'propertyCollector'],
      `<specSet><propSet><type>${type}</type>${pathSet}</propSet><objectSet><obj type="${type}">${value}</obj></objectSet></specSet><options/>`,
    );
    expectOk(reply);
    const objects = child(child(reply.body, 'returnval') ?? reply.body, 'objects');
    const out = new Map<string, XmlNode>();
    for (const prop of objects?.children.filter((c) => c.local === 'propSet') ?? []) {
      const val = child(prop, 'val');
      if (val) out.set(childText(prop, 'name') ?? '', val);
    }
    return out;
  }

  /** Waits for a task through a session collector + filter + WaitForUpdatesEx, as govmomi does; returns TaskInfo. */
  async waitForTask(task: string): Promise<XmlNode> {
    const pc = await this.ref('CreatePropertyCollector', ['PropertyCollector', 'propertyCollector']);
    if (!pc) throw new Error('no collector');
    await this.ref(
      'CreateFilter',
      ['PropertyCollector', pc],
      `<spec><propSet><type>Task</type><pathSet>info</pathSet></propSet><objectSet><obj type="Task">${task}</obj></objectSet></spec><partialUpdates>false</partialUpdates>`,
    );
    let version = '';
    for (;;) {
      const reply = await this.call(
        'WaitForUpdatesEx',
        ['PropertyCollector', pc],
        `<version>${version}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`,
      );
      expectOk(reply);
      const updateSet = child(reply.body, 'returnval');
      if (!updateSet) continue;
      version = childText(updateSet, 'version') ?? '';
      const info = findDeep(updateSet, 'val');
      const state = info ? childText(info, 'state') : undefined;
      if (info && (state === 'success' || state === 'error')) {
        await this.call('DestroyPropertyCollector', ['PropertyCollector', pc]);
        return info;
      }
    }
  }
}

/** Fails with the fault text when a reply is a SOAP fault. */
export function expectOk(reply: SoapReply): void {
  if (reply.status !== 200) throw new Error(`SOAP call failed (${reply.status}): ${reply.xml}`);
}

/** The `xsi:type` of the fault detail of a SOAP fault reply. */
export function faultType(reply: SoapReply): string | undefined {
  return child(reply.body, 'detail')?.children[0]?.xsiType;
}

/** Depth-first search for the first descendant with this local name. */
export function findDeep(node: XmlNode, local: string): XmlNode | undefined {
  for (const c of node.children) {
    if (c.local === local) return c;
    const found = findDeep(c, local);
    if (found) return found;
  }
  return undefined;
}

/** All descendants with this local name, depth-first. */
export function findAll(node: XmlNode, local: string): XmlNode[] {
  return node.children.flatMap((c) => [...(c.local === local ? [c] : []), ...findAll(c, local)]);
}

/**
 * A simulator per test, logged in, with the default source VM's moref: the setup most simulator tests share.
 * Read the fields inside tests (they are replaced before each one).
 */
export function useLoggedInSim(options: VcSimOptions = { taskDurationMs: 0 }): {
  vc: VcSimHandle;
  client: VimTestClient;
  source: string;
} {
  const ctx = {} as { vc: VcSimHandle; client: VimTestClient; source: string };
  beforeEach(async () => {
    ctx.vc = await startVcSim(options);
    ctx.client = new VimTestClient(ctx.vc.url);
    expectOk(await ctx.client.login());
    ctx.source = await ctx.client.findVm('/DC0/vm/DC0_H0_VM0');
  });
  afterEach(() => ctx.vc.close());
  return ctx;
}
