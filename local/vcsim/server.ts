import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { handleAdmin } from './admin.js';
import { atLeast, PRIOR_VERSIONS, parseApiVersion } from './api-version.js';
import { dispatch } from './dispatcher.js';
import type { SimState } from './state.js';

const SOAP_PATHS = new Set(['/sdk', '/sdk/', '/sdk/vimService']);
/** Requests larger than this are refused before parsing (hostile input). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * The HTTP front of the simulator: `POST /sdk` and `/sdk/vimService` (SOAP), `GET /sdk/vimServiceVersions.xml`,
 * 405 for other verbs on SOAP paths, the loopback-only admin API under `/vcsim/`, 404 elsewhere.
 */
export function requestHandler(state: SimState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  };
}

async function handle(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/sdk/vimServiceVersions.xml' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(serviceVersions(state.options.apiVersion));
    return;
  }
  if (path.startsWith('/vcsim/')) {
    await handleAdmin(state, req, res, path);
    return;
  }
  if (!SOAP_PATHS.has(path)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' });
    res.end('Method Not Allowed');
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
    res.end('Request Entity Too Large');
    return;
  }
  const aborter = new AbortController();
  // Only a client that leaves before the answer aborts (ends blocking waits); normal completion must not.
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  const answer = await dispatch(state, {
    body,
    cookie: req.headers.cookie,
    soapAction: header(req, 'soapaction'),
    ipAddress: req.socket.remoteAddress ?? '127.0.0.1',
    userAgent: header(req, 'user-agent') ?? '',
    secure: (req.socket as Partial<TLSSocket>).encrypted === true,
    signal: aborter.signal,
  });
  if (answer.transport === 'reset') {
    req.socket.destroy();
    return;
  }
  if (answer.transport === 'garbage') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>Sign in</title></head><body><form action="/login">Proxy sign-in</form></body></html>');
    return;
  }
  if (answer.transport === 'unavailable') {
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
    res.end('Service Unavailable');
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8' };
  if (answer.setCookie) headers['set-cookie'] = answer.setCookie;
  if (res.destroyed) return;
  res.writeHead(answer.status, headers);
  res.end(answer.xml);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request body as UTF-8, or `undefined` when it exceeds the size limit. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `vimServiceVersions.xml` as vCenter serves it (reference §1.1). */
export function serviceVersions(apiVersion: string): string {
  // Only versions older than the advertised one are "prior" (pyVmomi picks the newest it knows from this list).
  const current = parseApiVersion(apiVersion);
  const versions = PRIOR_VERSIONS.filter((v) => !atLeast(parseApiVersion(v), current))
    .map((v) => `      <version>${v}</version>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" ?>
<namespaces version="1.0">
  <namespace>
    <name>urn:vim25</name>
    <version>${apiVersion}</version>
    <priorVersions>
${versions}
    </priorVersions>
  </namespace>
</namespaces>
`;
}
