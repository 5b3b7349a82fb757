import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiVersion, atLeast, parseApiVersion, soapActionVersion } from './api-version.js';
import { type FaultRule, injectedFault } from './fault-injection.js';
import { entityMethods } from './methods/entity-methods.js';
import type { MethodContext, MethodTable } from './methods/method.js';
import { propertyMethods } from './methods/property-methods.js';
import { searchMethods } from './methods/search-methods.js';
import { sessionMethods } from './methods/session-methods.js';
import { viewMethods } from './methods/view-methods.js';
import { vmMethods } from './methods/vm-methods.js';
import { isKindOf } from './model.js';
import { type Session, sessionSetCookie } from './sessions.js';
import { faultEnvelope, faults, VimFault } from './soap/faults.js';
import { child, childText, parseXml, readMoRef, type XmlNode, XmlParseError } from './soap/xml-reader.js';
import { envelope, methodResponse } from './soap/xml-writer.js';
import type { SimState } from './state.js';

const METHODS: MethodTable = {
  ...sessionMethods,
  ...searchMethods,
  ...propertyMethods,
  ...viewMethods,
  ...vmMethods,
  ...entityMethods,
};

// Methods that exist only from a given API version (pyVmomi/vCenter gate InstantClone at vim25/6.7).
const SINCE: Readonly<Record<string, ApiVersion>> = { InstantClone_Task: [6, 7] };

/** One HTTP request as the dispatcher needs it; `signal` aborts when the client leaves. */
export interface SoapRequest {
  readonly body: string;
  readonly cookie?: string;
  readonly soapAction?: string;
  readonly ipAddress: string;
  readonly userAgent: string;
  /** True when the request came over TLS (the session cookie is `Secure` only then). */
  readonly secure: boolean;
  readonly signal: AbortSignal;
}

/** The HTTP-level answer; `transport` asks the server to misbehave on purpose (fault injection). */
export interface SoapResponse {
  readonly status: number;
  readonly xml: string;
  readonly setCookie?: string;
  readonly transport?: 'reset' | 'unavailable' | 'garbage';
}

/** Rule effects the method itself honours (at the task's end). */
const TASK_EFFECTS: ReadonlySet<string> = new Set(['taskFault', 'orphan', 'dropSpec']);

/**
 * Turns one SOAP request into one SOAP response: parse, find the method and `_this`, apply fault injection,
 * check the session (NotAuthenticated except for anonymous methods), run, and serialise. Every failure, hostile
 * input included, becomes an HTTP 500 SOAP fault; nothing here throws.
 */
export async function dispatch(state: SimState, request: SoapRequest): Promise<SoapResponse> {
  state.stats.requests += 1;
  let setCookie: string | undefined;
  try {
    const call = readCall(request.body);
    state.stats.byMethod[call.method] = (state.stats.byMethod[call.method] ?? 0) + 1;
    const rule = state.faults.take(call.method, call.self.value);
    if (rule) {
      const early = await applyRule(state, rule, request, call.self.value);
      if (early) return early;
    }
    const clientVersion = soapActionVersion(request.soapAction) ?? parseApiVersion(state.options.apiVersion);
    const definition = METHODS[call.method];
    if (!definition || !supported(call.method, clientVersion)) {
      throw faults.methodNotFound(call.self.type, call.self.value, call.method);
    }
    const session = state.sessions.lookup(request.cookie, call.sessionHeader);
    const unauthenticatedOk =
      definition.anonymous || (definition.sessionOptional && state.options.unauthenticatedRetrieve === 'missingSet');
    if (!session && !unauthenticatedOk) throw faults.notAuthenticated();
    const type = state.typeOf(call.self.value);
    if (type === undefined) throw faults.managedObjectNotFound(call.self.type, call.self.value);
    if (!definition.on.some((t) => isKindOf(type, t))) throw faults.methodNotFound(type, call.self.value, call.method);
    const ctx: MethodContext = {
      state,
      session,
      self: { type, value: call.self.value },
      request: call.node,
      client: { ipAddress: request.ipAddress, userAgent: request.userAgent },
      clientVersion,
      injected: rule && TASK_EFFECTS.has(rule.effect) ? rule : undefined,
      signal: request.signal,
      startSession: (s: Session) => {
        setCookie = sessionSetCookie(s, request.secure);
      },
    };
    const result = await definition.run(ctx);
    return { status: 200, xml: envelope(methodResponse(call.method, result)), setCookie };
  } catch (err) {
    return { status: 500, xml: faultEnvelope(toFault(err)), setCookie };
  }
}

interface Call {
  method: string;
  node: XmlNode;
  self: { type: string; value: string };
  sessionHeader?: string;
}

function readCall(body: string): Call {
  const root = parseXml(body);
  if (root.local !== 'Envelope') throw faults.invalidRequest('The request is not a SOAP envelope.');
  const soapBody = child(root, 'Body');
  const node = soapBody?.children[0];
  if (!node) throw faults.invalidRequest('The SOAP body is empty.');
  const header = child(root, 'Header');
  const self = readMoRef(child(node, '_this'));
  if (!self) throw faults.invalidRequest(`Missing or invalid _this in ${node.local}.`);
  return {
    method: node.local,
    node,
    self,
    sessionHeader: header ? childText(header, 'vcSessionCookie') || undefined : undefined,
  };
}

function supported(method: string, clientVersion: ApiVersion): boolean {
  const since = SINCE[method];
  return since === undefined || atLeast(clientVersion, since);
}

async function applyRule(
  state: SimState,
  rule: FaultRule,
  request: SoapRequest,
  object: string,
): Promise<SoapResponse | undefined> {
  const delay = rule.delayMs ?? (rule.effect === 'slow' ? 1000 : 0);
  if (delay > 0) await sleep(delay, undefined, { signal: request.signal }).catch(() => undefined);
  switch (rule.effect) {
    case 'connectionReset':
      return { status: 0, xml: '', transport: 'reset' };
    case 'http503':
      return { status: 503, xml: '', transport: 'unavailable' };
    case 'garbage':
      return { status: 200, xml: '', transport: 'garbage' };
    case 'sessionDrop': {
      const session = state.sessions.lookup(request.cookie);
      if (session) state.sessions.end(session);
      return undefined;
    }
    case 'fault':
      throw injectedFault(rule, object);
    default:
      return undefined;
  }
}

function toFault(err: unknown): VimFault {
  if (err instanceof VimFault) return err;
  if (err instanceof XmlParseError) return faults.invalidRequest(`Unable to parse the request: ${err.message}`);
  return faults.systemError(err instanceof Error ? err.message : String(err));
}
