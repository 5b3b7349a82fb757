import type { ApiVersion } from '../api-version.js';
import type { FaultRule } from '../fault-injection.js';
import type { Session } from '../sessions.js';
import type { VimValue } from '../soap/vim-value.js';
import type { XmlNode } from '../soap/xml-reader.js';
import type { SimState } from '../state.js';

/** Everything a simulated vim25 method sees about the call it serves. */
export interface MethodContext {
  readonly state: SimState;
  /** The caller's live session; undefined only for anonymous methods. */
  readonly session?: Session;
  /** `_this`, already checked to exist and to be of a type the method applies to. */
  readonly self: { readonly type: string; readonly value: string };
  /** The request element (`<InstantClone_Task>`); read parameters by local name. */
  readonly request: XmlNode;
  readonly client: { readonly ipAddress: string; readonly userAgent: string };
  /** The API version the client asked for in SOAPAction (the server's own when it named none). */
  readonly clientVersion: ApiVersion;
  /** A fault-injection rule with a task-level effect (`taskFault`, `orphan`, `dropSpec`) that this call must honour. */
  readonly injected?: FaultRule;
  /** Aborted when the client goes away (ends blocking waits). */
  readonly signal: AbortSignal;
  /** Makes the response carry `Set-Cookie` for this session (Login). */
  startSession(session: Session): void;
}

/** What a method returns: one `returnval`, several (array returns), or none (void / not found). */
export type MethodResult = VimValue | readonly VimValue[] | undefined;

/** A simulated method: what `_this` it applies to, whether it needs a session, and the implementation. */
export interface MethodDefinition {
  /** Managed object types (or supertypes) `_this` may have. */
  readonly on: readonly string[];
  /** True for RetrieveServiceContent and Login: callable without a session. */
  readonly anonymous?: boolean;
  /** True for RetrieveProperties(Ex): without a session they answer in vCenter's missingSet form, not a fault. */
  readonly sessionOptional?: boolean;
  readonly run: (ctx: MethodContext) => MethodResult | Promise<MethodResult>;
}

/** Methods by WSDL name. */
export type MethodTable = Readonly<Record<string, MethodDefinition>>;
