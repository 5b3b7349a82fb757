import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { signTimestamped } from '#shared/http/hmac-signatures';
import { HOOK_SECRETS } from '../signed-requests.js';
import type { Caller } from './fuzz-principals.js';
import { encodeBody } from './hostile-json.js';
import { JOB_REF, OUTSIDE_REF } from './route-bodies.js';
import { type AuthChoice, CURSOR_REF, type FuzzRequest, type SignChoice } from './route-requests.js';

/** What came back: the status, and the body parsed as JSON when it was JSON. */
export type FuzzAnswer = { status: number; json?: unknown; text: string };

/** Where to send, a bearer credential per caller, and the loopback receiver callbacks may go to. */
export type FuzzSenderTarget = { apiUrl: string; bearer: Record<Caller, string>; outsideUrl: string };

const REMEMBERED = 200;
const SIX_MINUTES_MS = 6 * 60 * 1000;

const authorization = ({ caller, form }: AuthChoice, bearer: Record<Caller, string>): string | undefined => {
  const token = bearer[caller];
  switch (form) {
    case 'bearer':
      return `Bearer ${token}`;
    case 'lower-case scheme':
      return `bearer ${token}`;
    case 'padded':
      return `  BEARER   ${token}  `;
    case 'mangled token':
      return `Bearer ${token.slice(0, -2)}x${token.slice(-1)}`;
    case 'basic':
      return `Basic ${Buffer.from(`a:${token}`).toString('base64')}`;
    case 'empty':
      return '';
    case 'none':
      return undefined;
  }
};

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

/** The signature headers of a signed route over `text` (what the route verifies: the body read as UTF-8). */
const signatureHeaders = (route: string, text: string, choice: SignChoice): Record<string, string> => {
  if (choice === 'missing') return {};
  const now = Date.now();
  const at = new Date(choice === 'stale' ? now - SIX_MINUTES_MS : choice === 'future' ? now + SIX_MINUTES_MS : now);
  const secret = (name: keyof typeof HOOK_SECRETS) =>
    choice === 'wrong secret' ? `${HOOK_SECRETS[name]}x` : HOOK_SECRETS[name];
  const mangle = (value: string) => (choice === 'malformed' ? `${value.slice(0, 9)}!${value.slice(10)}` : value);
  if (route === 'POST /v1/hooks/generic') {
    const headers = signTimestamped(secret('generic'), text, at);
    return { ...headers, 'x-instaclone-signature': mangle(headers['x-instaclone-signature'] ?? '') };
  }
  if (route === 'POST /v1/hooks/github')
    return { 'x-hub-signature-256': mangle(`sha256=${hmac(secret('github'), text)}`) };
  if (route === 'POST /v1/chat/slack') {
    const ts = String(Math.floor(at.getTime() / 1000));
    return {
      'x-slack-request-timestamp': ts,
      'x-slack-signature': mangle(`v0=${hmac(secret('slack'), `v0:${ts}:${text}`)}`),
    };
  }
  return {};
};

/** Job ids and cursors found anywhere in an answer. */
const harvest = (value: unknown, found: { jobIds: string[]; cursors: string[] }): void => {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'jobId' && typeof inner === 'string') found.jobIds.push(inner);
    else if (key === 'cursor' && typeof inner === 'string') found.cursors.push(inner);
    else harvest(inner, found);
  }
};

/**
 * Sends generated requests to a running stack over raw HTTP (any method with any body, any bytes), signing the
 * signed routes and resolving {@link JOB_REF} and {@link CURSOR_REF} from what earlier answers gave out (and
 * {@link OUTSIDE_REF}), so later
 * requests reach real jobs, pools and cursors. An answer that does not come within `timeoutMs` is status 0.
 */
export const makeFuzzSender = (target: FuzzSenderTarget, timeoutMs = 15_000) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const memory = { jobIds: [] as string[], cursors: [] as string[] };
  let picks = 0;
  const pick = (list: string[], fallback: () => string) =>
    list.length === 0 ? fallback() : (list[picks++ % list.length] as string);
  const resolve = (text: string) =>
    text
      .replaceAll(JOB_REF, () => pick(memory.jobIds, randomUUID))
      .replaceAll(OUTSIDE_REF, target.outsideUrl)
      .replaceAll(CURSOR_REF, () => encodeURIComponent(pick(memory.cursors, () => 'eyJzIjowfQ')));

  const send = (req: FuzzRequest): Promise<FuzzAnswer> => {
    const text = req.body ? resolve(req.body.text) : undefined;
    const bytes = req.body && text !== undefined ? encodeBody(text, req.body.encoding) : undefined;
    const auth = authorization(req.auth, target.bearer);
    const headers: Record<string, string> = {
      ...signatureHeaders(req.route, bytes?.toString('utf8') ?? '', req.sign),
      ...(req.github?.event !== undefined && { 'x-github-event': req.github.event }),
      ...(req.github?.delivery !== undefined && { 'x-github-delivery': req.github.delivery }),
      ...req.headers,
      ...(auth !== undefined && { authorization: auth }),
      ...(bytes && { 'content-length': String(bytes.length) }),
    };
    const url = new URL(`${resolve(req.path)}${req.query ? `?${resolve(req.query)}` : ''}`, target.apiUrl);
    return new Promise<FuzzAnswer>((done, fail) => {
      const outgoing = request(url, { method: req.method, headers, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          harvest(json, memory);
          memory.jobIds.splice(0, Math.max(0, memory.jobIds.length - REMEMBERED));
          memory.cursors.splice(0, Math.max(0, memory.cursors.length - REMEMBERED));
          done({ status: res.statusCode ?? 0, json, text: body.slice(0, 2000) });
        });
        res.on('error', fail);
      });
      outgoing.on('timeout', () => {
        outgoing.destroy();
        done({ status: 0, text: `no answer within ${timeoutMs} ms` });
      });
      outgoing.on('error', fail);
      outgoing.end(bytes);
    });
  };
  return { send, close: () => agent.destroy() };
};
