/**
 * Session decorator on the SOAP transport: lazy login, the cookie kept by the transport, exactly one re-login and
 * retry when vCenter says `NotAuthenticated` (idle expiry, vCenter restart), and a cached ServiceContent that also
 * sets the SOAPAction version. Concurrent callers share one login.
 */
import { isFault } from './errors.js';
import { missingSetFault } from './faults.js';
import { readServiceContent, SERVICE_INSTANCE, type ServiceContent } from './service-content.js';
import { returnval } from './soap/parse.js';
import { mo } from './soap/serialize.js';
import type { SoapTransport, TransportCallOptions, VimArgs, VimMethod, VimTransport } from './soap/transport.js';
import type { VimClientOptions } from './types.js';

const ANONYMOUS: ReadonlySet<VimMethod> = new Set(['RetrieveServiceContent', 'Login']);

/** A transport whose calls run inside a logged-in session. */
export interface Session extends VimTransport {
  /** Increments at every login: session-scoped objects (property collectors) from an older epoch are gone. */
  readonly epoch: number;
  serviceContent(options?: TransportCallOptions): Promise<ServiceContent>;
  /** Ends the session if there is one. Never throws. */
  logout(): Promise<void>;
}

type SessionDeps = Pick<VimClientOptions, 'credentials' | 'logger'>;

/** Wraps `transport` with session handling. No round trip happens until the first call. */
export function withSession(transport: SoapTransport, { credentials, logger }: SessionDeps): Session {
  let epoch = 0;
  let loggedIn = false;
  let content: Promise<ServiceContent> | undefined;
  let pendingLogin: Promise<void> | undefined;

  const serviceContent = (options: TransportCallOptions = {}) => {
    content ??= transport.call('RetrieveServiceContent', { _this: mo(SERVICE_INSTANCE) }, options).then((answer) => {
      const sc = readServiceContent(answer);
      transport.setApiVersion(sc.apiVersion);
      return sc;
    });
    content.catch(() => {
      content = undefined;
    });
    return content;
  };

  const login = async (options: TransportCallOptions) => {
    const sc = await serviceContent(options);
    const { username, password } = await credentials();
    transport.clearSession();
    loggedIn = false;
    await transport.call('Login', { _this: mo(sc.sessionManager), userName: username, password }, options);
    epoch++;
    loggedIn = true;
  };

  /** Logs in unless someone already did so after `seenEpoch`. One login at a time; it ignores callers' signals. */
  const ensureLogin = async (seenEpoch: number, options: TransportCallOptions) => {
    if (loggedIn && epoch !== seenEpoch) return;
    pendingLogin ??= login(options.operationId ? { operationId: options.operationId } : {}).finally(() => {
      pendingLogin = undefined;
    });
    await pendingLogin;
  };

  const attempt = async (method: VimMethod, args: VimArgs, options: TransportCallOptions) => {
    const answer = await transport.call(method, args, options);
    // RetrievePropertiesEx reports an expired session per property instead of faulting.
    const lost = method === 'RetrievePropertiesEx' ? missingSetFault(returnval(answer), 'NotAuthenticated') : undefined;
    if (lost) throw lost;
    return answer;
  };

  return {
    get epoch() {
      return epoch;
    },
    serviceContent,
    async call(method, args, options = {}) {
      if (ANONYMOUS.has(method)) return transport.call(method, args, options);
      if (!loggedIn) await ensureLogin(-1, options);
      const seen = epoch;
      try {
        return await attempt(method, args, options);
      } catch (err) {
        if (!isFault(err, 'NotAuthenticated')) throw err;
        logger?.debug?.('vCenter session lost, logging in again', { method });
        await ensureLogin(seen, options);
        return await attempt(method, args, options);
      }
    },
    async logout() {
      if (!loggedIn) return;
      loggedIn = false;
      try {
        const sc = await serviceContent();
        await transport.call('Logout', { _this: mo(sc.sessionManager) });
      } catch (err) {
        logger?.warn('vCenter logout failed', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        transport.clearSession();
      }
    },
  };
}
