import { describe, expect, it } from 'vitest';
import { canTransition, isTerminal, JOB_STATUSES } from '#shared/domain/clone-job';

describe('Domain: job state machine', () => {
  it('only moves forward: QUEUED -> RUNNING -> SUCCEEDED | FAILED', () => {
    // Assess
    expect(canTransition('QUEUED', 'RUNNING')).toBe(true);
    expect(canTransition('RUNNING', 'SUCCEEDED')).toBe(true);
    expect(canTransition('RUNNING', 'FAILED')).toBe(true);
    expect(canTransition('RUNNING', 'QUEUED')).toBe(false);
    expect(canTransition('SUCCEEDED', 'FAILED')).toBe(false);
  });

  it('has no way out of a terminal state', () => {
    // Act
    const terminal = JOB_STATUSES.filter(isTerminal);
    // Assess
    expect(terminal).toEqual(['SUCCEEDED', 'FAILED']);
    for (const from of terminal) for (const to of JOB_STATUSES) expect(canTransition(from, to)).toBe(false);
  });
});
