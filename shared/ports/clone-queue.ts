import type { CloneMessage } from '../domain/clone-message.js';

/** Delivery of clone messages to the worker (at least once). */
export interface CloneQueue {
  enqueue(message: CloneMessage): Promise<void>;
}
