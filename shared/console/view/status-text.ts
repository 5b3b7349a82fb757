import type { JobStatus } from '../../clones/model/clone-job.js';

/**
 * How a status reads: a symbol (decoration, hidden from screen readers) and the word, so the table is readable
 * without colour. The kind picks a colour class as a third cue.
 */
export const STATUS_TEXT: Readonly<Record<JobStatus, { symbol: string; word: string; kind: string }>> = {
  QUEUED: { symbol: '◷', word: 'QUEUED', kind: 'waiting' },
  RUNNING: { symbol: '▶', word: 'RUNNING', kind: 'busy' },
  SUCCEEDED: { symbol: '✓', word: 'SUCCEEDED', kind: 'good' },
  FAILED: { symbol: '✗', word: 'FAILED', kind: 'bad' },
  DESTROYING: { symbol: '…', word: 'DESTROYING', kind: 'busy' },
  DESTROYED: { symbol: '⌫', word: 'DESTROYED', kind: 'gone' },
};
