import type { InventoryOptions } from './default-inventory.js';
import { type CollectorQuirks, defaultInstanceUuid, type ResolvedOptions } from './state.js';

/** Options of `startVcSim`; every field is optional and the defaults give govmomi's familiar VPX inventory. */
export interface VcSimOptions {
  /** Interface to bind; default 127.0.0.1 (loopback only, always, unless you say otherwise). */
  host?: string;
  /** Port; default 0 (a free port, see `url`). */
  port?: number;
  /** Serve https with a fresh self-signed certificate (its PEM is `ca`). */
  tls?: boolean;
  /** `about.apiVersion` and vimServiceVersions.xml; default `8.0.3.0`. */
  apiVersion?: string;
  /** Time an InstantClone task spends running; default 200 ms (0 for fastest). */
  taskDurationMs?: number;
  /** How long a clone reports its source's guest IP/host name before its own; default 2000 ms. */
  guestIpDelayMs?: number;
  /** Accept only this user name (default: any non-empty). */
  username?: string;
  /** Accept only this password (default: any non-empty). */
  password?: string;
  /** Idle time after which a session dies; default 30 min as on vCenter. */
  sessionIdleTimeoutMs?: number;
  /** RetrieveProperties(Ex) without a session: vCenter's missingSet answer (default) or a NotAuthenticated fault. */
  unauthenticatedRetrieve?: 'missingSet' | 'fault';
  /**
   * Property-collector misbehaviour for client robustness tests (not vCenter's behaviour); off by default. `true`
   * turns on every quirk of CollectorQuirks; an object picks them.
   */
  collectorQuirks?: boolean | CollectorQuirks;
  /**
   * Keep the world (inventory, VMs with extraConfig, power state and MACs, folders, and the moref, task, MAC and IP
   * counters) in this JSON file: read at start when it exists (then `inventory` is ignored), rewritten after changes
   * and at `close`. Default: in memory only, a fresh world per start.
   */
  stateFile?: string;
  /** Sizes of a fresh world's inventory. */
  inventory?: InventoryOptions;
}

/** The options with their defaults applied, as the simulator's state keeps them. */
export function resolveOptions(options: VcSimOptions = {}): ResolvedOptions {
  return {
    apiVersion: options.apiVersion ?? '8.0.3.0',
    taskDurationMs: options.taskDurationMs ?? 200,
    guestIpDelayMs: options.guestIpDelayMs ?? 2000,
    username: options.username,
    password: options.password,
    sessionIdleTimeoutMs: options.sessionIdleTimeoutMs ?? 30 * 60 * 1000,
    instanceUuid: defaultInstanceUuid(),
    unauthenticatedRetrieve: options.unauthenticatedRetrieve ?? 'missingSet',
    collectorQuirks: resolveQuirks(options.collectorQuirks),
  };
}

function resolveQuirks(quirks: boolean | CollectorQuirks | undefined): Required<CollectorQuirks> {
  const on = quirks === true;
  const picked = typeof quirks === 'object' ? quirks : {};
  return {
    lateFiltersWithoutInitialState: picked.lateFiltersWithoutInitialState ?? on,
    taskUpdatesToFirstWaiter: picked.taskUpdatesToFirstWaiter ?? on,
  };
}
