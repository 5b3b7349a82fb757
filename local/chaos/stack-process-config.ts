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
