import type { LocalStackOptions } from '../stack-options.js';

/** What the parent passes to `stack-process.ts` (as one JSON argument): `LocalStackOptions` that survive JSON. */
export type StackProcessConfig = Pick<
  LocalStackOptions,
  | 'dataDir'
  | 'apiPort'
  | 'vcenter'
  | 'simulator'
  | 'workerTimeoutMs'
  | 'visibilityTimeoutSeconds'
  | 'maxReceiveCount'
  | 'maxConcurrency'
  | 'integrations'
  | 'logLevel'
  | 'policy'
  | 'tokens'
  | 'retryPolicy'
> & {
  apiToken: string;
  /** How long SIGTERM waits for a clean close before exiting anyway; default 5 s. */
  closeGraceMs?: number;
};

/** The first stdout line of `stack-process.ts` that has this `kind` carries the stack's addresses. */
export const READY_KIND = 'instaclone-stack-ready';

/** The JSON line `stack-process.ts` prints once the stack is up. */
export type StackReady = {
  kind: 'instaclone-stack-ready';
  pid: number;
  apiUrl: string;
  vcenterUrl: string;
  sqsEndpoint: string;
  queueUrl: string;
  dlqUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  eventsFile?: string;
  redriven: number;
};

/** The stdout line `stack-process.ts` prints after each SIGUSR2 (a full collection first, when allowed). */
export const MEMORY_KIND = 'instaclone-stack-memory';

/**
 * What the stack process holds, in bytes (`process.memoryUsage()` after the collection), and the sizes of the
 * stand-ins' stores that only grow (a deployment holds none of them in a function's process).
 */
export type StackMemory = {
  kind: 'instaclone-stack-memory';
  /** Whether a full collection ran first (node started with `--expose-gc`). */
  collected: boolean;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Events the EventBridge stand-in recorded (`published`). */
  busEvents: number;
  /** VMs in the embedded simulator's inventory (absent with an external vCenter). */
  simulatorVms?: number;
};
