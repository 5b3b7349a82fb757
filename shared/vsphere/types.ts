/**
 * Public data types of the vim25 client. They mirror vSphere names (ManagedObjectReference → MoRef,
 * VirtualMachineInstantCloneSpec → InstantCloneSpec, TaskInfo) but carry only what instaclone uses.
 */
import type { VimFaultError } from './errors.js';

/** A managed object reference, e.g. `{ type: 'VirtualMachine', value: 'vm-42' }`. */
export type MoRef<T extends string = string> = { type: T; value: string };

/** Per-call options. `operationId` is sent as the SOAP `operationID` header and shows up in vCenter's logs. */
export interface CallOptions {
  signal?: AbortSignal;
  operationId?: string;
}

/** Network backing for a NIC edit. A distributed port is always connected without a port key (the source owns it). */
export type NicNetwork =
  | { kind: 'standard'; name: string; moref: MoRef<'Network'> }
  | { kind: 'distributed'; switchUuid: string; portgroupKey: string; moref?: MoRef };

/** Edit of one NIC of the source, addressed by its device key (e.g. 4000). */
export interface NicEdit {
  key: number;
  /** Manual MAC (`00:50:56:00:00:00`–`00:50:56:3F:FF:FF`); omitted = vCenter assigns one. */
  macAddress?: string;
  network?: NicNetwork;
  /** Sets `connectable.migrateConnect = disconnect`: the clone's NIC starts disconnected. */
  startDisconnected?: boolean;
}

/** VirtualMachineInstantCloneSpec, flattened. */
export interface InstantCloneSpec {
  name: string;
  folder?: MoRef<'Folder'>;
  pool?: MoRef<'ResourcePool'>;
  datastore?: MoRef<'Datastore'>;
  nics?: NicEdit[];
  /** File-backed serial ports of the source to point at a new file, e.g. `[ds1] clone-1/serial0.log`. */
  serialPorts?: Array<{ key: number; fileName: string }>;
  parallelPorts?: Array<{ key: number; fileName: string }>;
  /** OptionValues that land in the clone's extraConfig, typically `guestinfo.*`. */
  extraConfig?: Record<string, string>;
  biosUuid?: string;
}

export type PowerState = 'poweredOn' | 'poweredOff' | 'suspended';

export interface VmNic {
  key: number;
  label: string;
  macAddress: string;
  addressType: string;
  connected: boolean;
}

/** A serial or parallel port; `fileName` is set for file-backed ports, the only kind an instant clone may edit. */
export interface VmPort {
  key: number;
  label: string;
  fileName?: string;
}

/**
 * A device of a VM as an instant clone or reconfigure edit of it must restate it: its concrete class (an edit of
 * another class is refused), its connectable state and distributed port, a serial port's `yieldOnPoll`.
 */
export interface VmDevice {
  key: number;
  /** Concrete device type, e.g. `VirtualVmxnet3`, `VirtualSerialPort`. */
  type: string;
  connectable?: { startConnected: boolean; allowGuestControl: boolean };
  /** Set when the device is on a distributed port group. */
  distributedPort?: { switchUuid: string; portgroupKey?: string };
  yieldOnPoll?: boolean;
}

/** What instaclone needs to know about a VM, read in one RetrievePropertiesEx. */
export interface VmFacts {
  moref: MoRef<'VirtualMachine'>;
  name: string;
  powerState: PowerState;
  host?: MoRef<'HostSystem'>;
  folder?: MoRef<'Folder'>;
  /** `runtime.instantCloneFrozen`. */
  frozen: boolean;
  nics: VmNic[];
  extraConfig: Record<string, string>;
  guest: { ipAddress?: string; hostName?: string };
  serialPorts: VmPort[];
  parallelPorts: VmPort[];
  /** Every device with a key, as {@link VimClient.instantClone} needs them to write edits (pass these facts as its source). */
  devices: VmDevice[];
  /** Longest delta-disk chain among the VM's disks (vSphere refuses clones past 255), when disks are reported. */
  diskChainDepth?: number;
}

export type TaskState = 'queued' | 'running' | 'success' | 'error';

export interface TaskInfo {
  moref: MoRef<'Task'>;
  state: TaskState;
  progress?: number;
  result?: MoRef;
  error?: VimFaultError;
  entity?: MoRef;
  entityName?: string;
  /** When the task ended (ISO time), once it has. */
  completeTime?: string;
}

/** Options of {@link VimClient.waitForTask}. `deadline` is epoch milliseconds. */
export interface WaitOptions extends CallOptions {
  deadline: number;
}

/** Logger seam; the worker passes its Powertools logger. */
export interface VimLogger {
  warn(msg: string, extra?: object): void;
  debug?(msg: string, extra?: object): void;
}

export interface VimClientOptions {
  /** `https://vc.example.com/sdk` (or `http://127.0.0.1:<port>/sdk` for the simulator). */
  url: string;
  /** Called at every login, so a rotated secret is picked up after `InvalidLogin` or session expiry. */
  credentials: () => Promise<{ username: string; password: string }>;
  /** Extra trusted CA certificate(s), PEM. System roots stay trusted. */
  ca?: string | Buffer;
  /** Skip TLS verification for this client only (labs). Logs a warning. Never process-wide. */
  insecure?: boolean;
  /** Per round trip; default 60 s. Long waits raise it by their `maxWaitSeconds`. */
  requestTimeoutMs?: number;
  /**
   * Largest answer read, in bytes; default 16 MiB (`DEFAULT_MAX_ANSWER_BYTES`, twice the largest answer the service's
   * own calls cause). A larger one, or one too dense or deep to be vim25, fails `VimTransportError` `bad-response`.
   */
  maxAnswerBytes?: number;
  logger?: VimLogger;
  /** Clock seam for tests; defaults to `Date.now`. */
  now?: () => number;
}
