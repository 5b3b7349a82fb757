/**
 * The HTTP leg of the SOAP transport: node-soap builds and parses envelopes, this class moves the bytes.
 * It owns what node-soap leaves to the caller: one keep-alive agent per client (TLS verified against the system
 * roots plus an optional CA, or explicitly not verified for this client only), the `vmware_soap_session` cookie,
 * per-request timeout and AbortSignal, a round-trip counter, and turning non-SOAP answers into
 * {@link VimTransportError}s before node-soap sees them.
 */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { VimTransportError } from '../errors.js';
import { checkAnswerShape } from './answer-bounds.js';

const SESSION_COOKIE = 'vmware_soap_session';
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** Per-request options node-soap passes through untouched (its `exoptions`). */
export interface ExchangeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Receives errors thrown by node-soap while it handles our answer, so the pending call always settles. */
  onCallbackError?: (err: unknown) => void;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type SoapCallback = (err: unknown, res?: { status: number; headers: http.IncomingHttpHeaders }, body?: string) => void;

/**
 * Idle keep-alive sockets are closed after this long, before vCenter's reverse proxy drops them: a request on a
 * socket the server already closed fails with ECONNRESET, and a `*_Task` call cannot simply be repeated.
 */
const IDLE_SOCKET_MS = 30_000;

/** Builds the per-client agent. `ca` is added to the system roots, not substituted for them. */
export function createAgent(url: URL, tls: { ca?: string | Buffer; insecure?: boolean }): http.Agent {
  const common = { keepAlive: true, maxSockets: 16, timeout: IDLE_SOCKET_MS };
  if (url.protocol === 'http:') return new http.Agent(common);
  const ca = tls.ca === undefined ? undefined : [...rootCertificates, tls.ca.toString()];
  return new https.Agent({ ...common, rejectUnauthorized: tls.insecure !== true, ca });
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

function toTransportError(err: unknown): VimTransportError {
  if (err instanceof VimTransportError) return err;
  const code = errorCode(err) ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/.test(code)) {
    return new VimTransportError('tls', `TLS verification failed: ${message}`, { retryable: false, cause: err });
  }
  const retryable = NETWORK_CODES.has(code) || code === '';
  return new VimTransportError('network', `vCenter unreachable: ${message}`, { retryable, cause: err });
}

function checkAnswer(answer: Answer): void {
  const contentType = String(answer.headers['content-type'] ?? '');
  const looksLikeSoap = /<(\w+:)?Envelope[\s>]/.test(answer.body.slice(0, 4096));
  const isXml = contentType === '' ? looksLikeSoap : /xml/i.test(contentType);
  const soapStatus = answer.status === 200 || answer.status === 500;
  const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429;
  if (!soapStatus) {
    throw new VimTransportError('http-status', `vCenter answered HTTP ${answer.status} (${contentType || 'no type'})`, {
      retryable,
      status: answer.status,
    });
  }
  if (!isXml || !looksLikeSoap) {
    throw new VimTransportError(
      'bad-response',
      `not a SOAP answer: HTTP ${answer.status}, ${contentType || 'no type'}`,
      {
        retryable,
        status: answer.status,
      },
    );
  }
}

/** node-soap `IHttpClient` over node:http(s). One instance per VimClient. */
export class SoapHttpClient {
  roundTrips = 0;
  private sessionCookie: string | undefined;

  constructor(
    private readonly agent: http.Agent,
    private readonly defaultTimeoutMs: number,
    private readonly maxAnswerBytes: number,
  ) {}

  /** Forgets the session cookie (before a fresh Login, after Logout). */
  clearSession(): void {
    this.sessionCookie = undefined;
  }

  get hasSession(): boolean {
    return this.sessionCookie !== undefined;
  }

  /** Closes the agent's sockets; the client stays usable (new sockets are opened on demand). */
  close(): void {
    this.agent.destroy();
  }

  /** Called by node-soap for every SOAP request. The return value is unused by node-soap. */
  request(url: string, data: string, callback: SoapCallback, headers?: object, options?: ExchangeOptions): undefined {
    this.once(url, data, { ...(headers as Record<string, string>) }, options ?? {}).then(
      (answer) => this.deliver(options, () => callback(null, answer, answer.body)),
      (err: unknown) => this.deliver(options, () => callback(toTransportError(err))),
    );
    return undefined;
  }

  private deliver(options: ExchangeOptions | undefined, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      options?.onCallbackError?.(err);
    }
  }

  private once(url: string, data: string, headers: Record<string, string>, opts: ExchangeOptions): Promise<Answer> {
    const { signal, timeoutMs = this.defaultTimeoutMs } = opts;
    if (signal?.aborted) return Promise.reject(abortError());
    const target = new URL(url);
    const send = target.protocol === 'https:' ? https.request : http.request;
    const body = Buffer.from(data, 'utf8');
    const outgoing: Record<string, string | number> = {
      ...headers,
      'Content-Length': body.length,
      'User-Agent': 'instaclone-vim25',
      Accept: 'text/xml',
    };
    if (this.sessionCookie) outgoing['Cookie'] = this.sessionCookie;
    this.roundTrips++;
    return new Promise<Answer>((resolve, reject) => {
      const req = send(target, { method: 'POST', agent: this.agent, headers: outgoing });
      const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
      const onAbort = () => req.destroy(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      req.on('error', (err) => {
        done();
        reject(err);
      });
      req.on('response', (res) => {
        this.captureCookie(res.headers['set-cookie']);
        const chunks: Buffer[] = [];
        let size = 0;
        const tooLarge = (bytes: number) =>
          req.destroy(
            new VimTransportError('bad-response', `answer too large: over ${this.maxAnswerBytes} bytes (${bytes})`, {
              retryable: false,
            }),
          );
        const announced = Number(res.headers['content-length'] ?? 0);
        if (announced > this.maxAnswerBytes) return tooLarge(announced);
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxAnswerBytes) {
            chunks.length = 0;
            tooLarge(size);
          } else chunks.push(chunk);
        });
        res.on('error', (err) => {
          done();
          reject(err);
        });
        res.on('close', () => {
          done();
          if (!res.complete) reject(Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' }));
        });
        res.on('end', () => {
          done();
          const answer = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          };
          try {
            checkAnswer(answer);
            checkAnswerShape(answer.body);
            resolve(answer);
          } catch (err) {
            reject(err);
          }
        });
      });
      req.end(body);
    });
  }

  private captureCookie(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const pair = line.split(';', 1)[0]?.trim() ?? '';
      if (pair.startsWith(`${SESSION_COOKIE}=`)) this.sessionCookie = pair;
    }
  }
}

function abortError(): VimTransportError {
  return new VimTransportError('aborted', 'request aborted by the caller', { retryable: true });
}

function timeoutError(ms: number): VimTransportError {
  return new VimTransportError('timeout', `no answer from vCenter within ${ms} ms`, { retryable: true });
}
