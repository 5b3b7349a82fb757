import type { CloneMessageInput } from '../model/clone-message.js';

/** Delivery of clone messages to the worker (at least once). */
export interface CloneQueue {
  enqueue(message: CloneMessageInput): Promise<void>;
}
