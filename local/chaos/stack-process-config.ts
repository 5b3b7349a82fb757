import type { ExternalVcenter } from '../stack.js';
import type { VcSimOptions } from '../vcsim/index.js';

/** What the parent passes to `stack-process.ts` (as one JSON argument); the fields mirror `LocalStackOptions`. */
export type StackProcessConfig = {
  /** Jobs (dynalite) and events.ndjson; restarts on the same folder keep both. In-memory when absent. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  apiPort?: number;
  apiToken: string;
  /** Clone through this vCenter (e.g. a simulator in its own process) instead of an embedded one. */
  vcenter?: ExternalVcenter;
  simulator?: VcSimOptions;
  workerTimeoutMs?: number;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  maxConcurrency?: number;
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
