/**
 * One vim25 SOAP round trip on node-soap, with our hand-written WSDL subset. Everything above this file speaks in
 * method names, argument objects (in schema order) and parsed answer nodes; nothing above it knows node-soap.
 * The request bytes are ours ({@link requestEnvelope}: what pyVmomi sends, handed to node-soap as its request
 * through `postProcess`); node-soap parses the answer against the WSDL and finds SOAP faults.
 * Per call: SOAPAction `urn:vim25/<apiVersion>`, an optional `<operationID>` SOAP header, AbortSignal and timeout.
 * Failures become {@link VimFaultError} (SOAP faults) or {@link VimTransportError} (everything else).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import soap from 'soap';
import { VimFaultError, VimTransportError } from '../errors.js';
import { faultFromSoapFault } from '../faults.js';
import type { CallOptions, VimLogger } from '../types.js';
import { DEFAULT_MAX_ANSWER_BYTES } from './answer-bounds.js';
import { requestEnvelope, type XmlValue } from './envelope.js';
import { createAgent, type ExchangeOptions, SoapHttpClient } from './http-client.js';
import { child, isRecord, type Node } from './parse.js';

/** The vim25 methods in the WSDL subset. */
export type VimMethod =
  | 'RetrieveServiceContent'
  | 'Login'
  | 'Logout'
  | 'FindByInventoryPath'
  | 'FindChild'
  | 'RetrievePropertiesEx'
  | 'ContinueRetrievePropertiesEx'
  | 'CreatePropertyCollector'
  | 'CreateFilter'
  | 'WaitForUpdatesEx'
  | 'InstantClone_Task'
  | 'CheckInstantClone_Task'
  | 'ReconfigVM_Task'
  | 'PowerOffVM_Task'
  | 'Destroy_Task'
  | 'CancelTask';

export interface TransportCallOptions extends CallOptions {
  /** Overrides the client's request timeout (long WaitForUpdatesEx calls). */
  timeoutMs?: number;
}

/** A method's parameters in WSDL order, `_this` first. */
export type VimArgs = Record<string, XmlValue>;

/** One SOAP round trip. Session handling and caching are layered on top of this interface. */
export interface VimTransport {
  /** Resolves with the `<MethodResponse>` element's content (`returnval`, possibly absent). */
  call(method: VimMethod, args: VimArgs, options?: TransportCallOptions): Promise<Node>;
}

/** The concrete transport, with the knobs the session layer and the client need. */
export interface SoapTransport extends VimTransport {
  readonly roundTrips: number;
  /** Switches SOAPAction to `urn:vim25/<version>` (from `about.apiVersion`). */
  setApiVersion(version: string): void;
  /** Forgets the session cookie. */
  clearSession(): void;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

export interface SoapTransportOptions {
  url: string;
  ca?: string | Buffer;
  insecure?: boolean;
  requestTimeoutMs?: number;
  maxAnswerBytes?: number;
  logger?: VimLogger;
  /** Path of the WSDL subset; defaults to the file next to this module (bundles must ship it). */
  wsdlPath?: string;
}

const BOOTSTRAP_API_VERSION = '7.0';
const WSDL_FILE = 'vim25-subset.wsdl';

/**
 * Finds the WSDL subset: next to the sources (`shared/vsphere/wsdl/`), or in a `wsdl/` folder next to a bundle
 * (Lambda bundles must copy `shared/vsphere/wsdl` there: node-soap needs a file path, not a string).
 */
export function defaultWsdlPath(): string {
  const candidates = [`../wsdl/${WSDL_FILE}`, `./wsdl/${WSDL_FILE}`].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`vim25 WSDL subset not found; looked at ${candidates.join(', ')}`);
  return found;
}

type SoapMethodAsync = (args: unknown, options: unknown, headers: unknown) => Promise<unknown[]>;

function toVimError(err: unknown, method: string): Error {
  if (err instanceof VimTransportError || err instanceof VimFaultError) return err;
  const fault = child(child(child(child(err, 'root'), 'Envelope'), 'Body'), 'Fault');
  if (isRecord(fault)) return faultFromSoapFault(fault);
  const invalidXml = child(err, 'Fault');
  const detail = err instanceof Error ? err.message : String(child(invalidXml, 'detail') ?? err);
  return new VimTransportError('bad-response', `unreadable answer to ${method}: ${detail}`, {
    retryable: isRecord(invalidXml),
    cause: err,
  });
}

/**
 * Creates the transport. The node-soap client is built on first use (the WSDL parse takes a few ms), so this
 * function stays synchronous.
 */
export function createSoapTransport(options: SoapTransportOptions): SoapTransport {
  const url = new URL(options.url);
  if (options.insecure) {
    options.logger?.warn('vCenter TLS certificate verification is disabled for this client', { url: url.origin });
  }
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const http = new SoapHttpClient(createAgent(url, options), options.requestTimeoutMs ?? 60_000, maxAnswerBytes);
  let apiVersion = BOOTSTRAP_API_VERSION;
  let client: Promise<soap.Client> | undefined;
  const soapClient = () => {
    // node-soap ignores the value IHttpClient.request returns (typed as an axios promise), so ours returns nothing.
    const httpClient = http as unknown as soap.IHttpClient;
    client ??= (async () =>
      soap.createClientAsync(options.wsdlPath ?? defaultWsdlPath(), { httpClient, endpoint: url.href }))();
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  const call = async (method: VimMethod, args: VimArgs, opts: TransportCallOptions = {}) => {
    const c = await soapClient();
    const fn: unknown = c[`${method}Async`];
    if (typeof fn !== 'function') throw new Error(`method ${method} is not in the WSDL subset`);
    const envelope = requestEnvelope(method, args, opts.operationId || undefined);
    return new Promise<Node>((resolve, reject) => {
      const exchange: ExchangeOptions & { postProcess: (xml: string) => string } = {
        onCallbackError: (err) => reject(toVimError(err, method)),
        // node-soap's own serialisation (of no arguments) is replaced by the canonical envelope.
        postProcess: () => envelope,
      };
      if (opts.signal) exchange.signal = opts.signal;
      if (opts.timeoutMs !== undefined) exchange.timeoutMs = opts.timeoutMs;
      const headers = { SOAPAction: `urn:vim25/${apiVersion}` };
      (fn as SoapMethodAsync).call(c, {}, exchange, headers).then(
        ([result, raw]) => {
          const answered = typeof raw === 'string' && new RegExp(`<(\\w+:)?${method}Response[\\s/>]`).test(raw);
          if (!answered) {
            reject(new VimTransportError('bad-response', `no ${method}Response in the answer`, { retryable: false }));
            return;
          }
          resolve(result);
        },
        (err: unknown) => reject(toVimError(err, method)),
      );
    });
  };

  return {
    call,
    get roundTrips() {
      return http.roundTrips;
    },
    setApiVersion(version) {
      apiVersion = version;
    },
    clearSession() {
      http.clearSession();
    },
    close() {
      http.close();
    },
  };
}
