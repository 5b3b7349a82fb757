import type { ApiVersion } from '../api-version.js';
import type { Session } from '../sessions.js';
import type { VimValue } from '../soap/vim-value.js';
import type { SimState } from '../state.js';

/** Who is asking: properties such as `SessionManager.currentSession` depend on it. */
export interface PropertyContext {
  readonly state: SimState;
  readonly session?: Session;
  /** The client's API version; fields newer than it are left out. */
  readonly clientVersion?: ApiVersion;
}

/** Reads one top-level property of the object with this moref value; `undefined` when unset. */
export type Getter = (moref: string, ctx: PropertyContext) => VimValue | undefined;
