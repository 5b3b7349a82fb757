import { describe, expect, it } from 'vitest';
import { canTransition, isCloneFinished, isTerminal, JOB_STATUSES } from '#shared/domain/clone-job';

describe('Domain: job state machine', () => {
  it('only moves forward: QUEUED -> RUNNING -> SUCCEEDED | FAILED, SUCCEEDED -> DESTROYING -> DESTROYED', () => {
    // Assess
    expect(canTransition('QUEUED', 'RUNNING')).toBe(true);
    expect(canTransition('RUNNING', 'SUCCEEDED')).toBe(true);
    expect(canTransition('RUNNING', 'FAILED')).toBe(true);
    expect(canTransition('SUCCEEDED', 'DESTROYING')).toBe(true);
    expect(canTransition('DESTROYING', 'DESTROYED')).toBe(true);
    expect(canTransition('RUNNING', 'QUEUED')).toBe(false);
    expect(canTransition('SUCCEEDED', 'FAILED')).toBe(false);
    expect(canTransition('DESTROYING', 'SUCCEEDED')).toBe(false);
  });

  it('has no way out of FAILED and DESTROYED', () => {
    // Act
    const terminal = JOB_STATUSES.filter(isTerminal);
    // Assess
    expect(terminal).toEqual(['FAILED', 'DESTROYED']);
    for (const from of terminal) for (const to of JOB_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it('treats every status after RUNNING as a finished clone', () => {
    // Act
    const finished = JOB_STATUSES.filter(isCloneFinished);
    // Assess
    expect(finished).toEqual(['SUCCEEDED', 'FAILED', 'DESTROYING', 'DESTROYED']);
  });
});
