import { randomUUID } from 'node:crypto';
import type { IdGenerator } from './runtime.js';

/** Job ids are random UUIDs: unguessable, and short enough to derive a VM name from (36 + 11 < 80). */
export const randomIds: IdGenerator = { jobId: () => randomUUID() };
