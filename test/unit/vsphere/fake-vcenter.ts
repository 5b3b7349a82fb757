/**
 * A scripted vCenter for unit tests: a node:http(s) server on 127.0.0.1 that answers vim25 requests from
 * recorded-shape XML fixtures (test/fixtures/soap) and records what the client sent.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

const FIXTURES = new URL('../../fixtures/soap/', import.meta.url);

export const SESSION_COOKIE = 'vmware_soap_session="52a9e1b4-0c3d-7f2e-9a1b-6c5d4e3f2a1b"';

export interface Recorded {
  method: string;
  soapAction: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** An answer: an HTTP reply, a connection reset, or never answering. */
export type Reply =
  | { status?: number; contentType?: string; headers?: Record<string, string>; body: string }
  | 'reset'
  | 'hang';

export type Route = Reply | ((req: Recorded, count: number) => Reply);

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export const ok = (name: string): Reply => ({ body: fixture(name) });
export const fault = (name: string): Reply => ({ status: 500, body: fixture(name) });

/** Answers of a healthy vCenter 8.0.3 for the calls every test makes. */
export const defaultRoutes = (): Record<string, Route> => ({
  RetrieveServiceContent: ok('retrieve-service-content.xml'),
  Login: {
    body: fixture('login.xml'),
    headers: { 'Set-Cookie': `${SESSION_COOKIE}; Path=/; HttpOnly; Secure;` },
  },
  Logout: ok('logout.xml'),
  CreatePropertyCollector: ok('create-property-collector.xml'),
  CreateFilter: ok('create-filter.xml'),
  InstantClone_Task: ok('instant-clone-task.xml'),
  FindByInventoryPath: ok('find-by-inventory-path.xml'),
  FindChild: ok('find-child.xml'),
  RetrievePropertiesEx: ok('retrieve-properties-vm.xml'),
  PowerOffVM_Task: ok('power-off-task.xml'),
  Destroy_Task: ok('destroy-task.xml'),
});

export interface FakeVcenter {
  url: string;
  requests: Recorded[];
  routes: Record<string, Route>;
  /** Requests of one method, in order. */
  calls(method: string): Recorded[];
  close(): Promise<void>;
}

function methodOf(body: string): string {
  return /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([\w]+)/.exec(body)?.[1] ?? 'unknown';
}

/** Starts the fake; `routes` override {@link defaultRoutes} per method. Pass `tls` to serve https. */
export async function startFakeVcenter(
  routes: Record<string, Route> = {},
  tls?: { key: string; cert: string },
): Promise<FakeVcenter> {
  const requests: Recorded[] = [];
  const table = { ...defaultRoutes(), ...routes };
  const counts = new Map<string, number>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: Recorded = {
        method: methodOf(body),
        soapAction: req.headers['soapaction'] as string | undefined,
        cookie: req.headers.cookie,
        body,
      };
      requests.push(rec);
      const count = (counts.get(rec.method) ?? 0) + 1;
      counts.set(rec.method, count);
      // Like vCenter, refuse a request whose _this is not a MoRef element.
      const badThis = !/<(?:[\w-]+:)?_this type="\w+">[^<]+<\/(?:[\w-]+:)?_this>/.test(body);
      const route = badThis ? { status: 500, body: fixture('fault-invalid-request.xml') } : table[rec.method];
      const reply = typeof route === 'function' ? route(rec, count) : (route ?? { status: 500, body: 'no route' });
      if (reply === 'reset') return req.socket.destroy();
      if (reply === 'hang') return;
      res.writeHead(reply.status ?? 200, {
        'Content-Type': reply.contentType ?? 'text/xml; charset=utf-8',
        ...reply.headers,
      });
      res.end(reply.body);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/sdk`,
    requests,
    routes: table,
    calls: (method) => requests.filter((r) => r.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Credentials provider that counts its calls (`provider.calls`). */
export function countingCredentials(username = 'svc-ic@vsphere.local', password = 's3cr&t<') {
  const provider = async () => {
    provider.calls++;
    return { username, password };
  };
  provider.calls = 0;
  return provider;
}
