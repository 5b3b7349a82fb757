import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { TargetRefusedError, TargetUnreachableError } from '../model/delivery-errors.js';
import type { HttpPoster } from '../ports/http-poster.js';
import { isPublicAddress } from './address-policy.js';

export type PostGuard = {
  /** Allow `http:` targets (local development only). @default false */
  allowInsecureHttp?: boolean;
  /** Allow private, loopback and link-local targets (local development only). @default false */
  allowPrivateAddresses?: boolean;
  /** Only these origins (`https://hooks.slack.com`); any origin when absent. */
  allowedOrigins?: readonly string[];
  /** Deadline of one attempt, from the DNS lookup to the answer's status line and headers. @default 5000 */
  timeoutMs?: number;
};

const refused = (why: string) => new TargetRefusedError(why);

/** Checks scheme and origin before any connection is made; throws TARGET_REFUSED. */
export const checkTarget = (url: string, guard: PostGuard): URL => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw refused('not a URL');
  }
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && guard.allowInsecureHttp)) {
    throw refused(`${target.protocol} targets are not allowed (https only)`);
  }
  if (target.username || target.password) throw refused('credentials in the URL are not allowed');
  if (guard.allowedOrigins && !guard.allowedOrigins.includes(target.origin)) {
    throw refused(`origin ${target.origin} is not allowed`);
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !guard.allowPrivateAddresses && !isPublicAddress(host)) {
    throw refused(`address ${host} is not public`);
  }
  return target;
};

/**
 * A DNS lookup that refuses the whole name when any of its addresses is not public, and hands the socket the
 * addresses it checked (the connection uses exactly those: no second resolution, no DNS rebinding).
 */
const guardedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const bad = addresses.find((a) => !allowPrivate && !isPublicAddress(a.address));
      if (bad || addresses.length === 0) {
        return callback(refused(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which is not public`), '', 4);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };

/**
 * An HttpPoster with SSRF protection: https only (unless allowed), no redirects followed, every resolved address
 * must be public (unless allowed), each attempt bounded by one total deadline (`timeoutMs`). Rejects with TargetRefusedError TARGET_REFUSED (never
 * retry) or TARGET_UNREACHABLE (no answer: refused, reset, DNS failure, timeout; retryable).
 */
export const makeGuardedPoster =
  (guard: PostGuard = {}): HttpPoster =>
  async (url, body, headers, { signal }) => {
    const target = checkTarget(url, guard);
    const timeoutMs = guard.timeoutMs ?? 5_000;
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<{ status: number }>((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
          lookup: guardedLookup(guard.allowPrivateAddresses ?? false),
          timeout: timeoutMs,
          ...(signal && { signal }),
        },
        (res) => {
          // The status is the whole answer we need: settle now; the body is drained only until the deadline.
          resolve({ status: res.statusCode ?? 0 });
          res.on('error', () => {});
          res.resume();
        },
      );
      // One deadline for the whole attempt (DNS, connect, TLS, the request, the answer): the socket's own timeout
      // only bounds each read, so a receiver trickling a byte a second could hold the notifier forever.
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof TargetRefusedError ? err : transportError(err)));
      req.end(body);
    });
  };

const transportError = (err: Error) => new TargetUnreachableError(`no answer: ${err.message}`, { cause: err });
