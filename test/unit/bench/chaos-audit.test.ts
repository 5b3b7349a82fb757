import { describe, expect, it } from 'vitest';
import { type AuditedVm, auditChaos } from '#local/chaos/chaos-audit';

const vm = (moref: string, jobId?: string, powerState = 'poweredOn'): AuditedVm => ({
  moref,
  name: `instaclone-${jobId ?? moref}`,
  powerState,
  extraConfig: jobId ? { 'instaclone.jobId': jobId } : {},
});
const event = (jobId: string, type: string) => ({ 'detail-type': type, detail: { jobId } });
const NOW = Date.parse('2026-12-04T12:00:00.000Z');
const failed = { code: 'VCENTER_FAULT', message: 'InsufficientResourcesFault: no room on the host' };

describe('Chaos audit', () => {
  it('counts zero for jobs whose table row, VM and event agree', () => {
    // Prepare
    const jobs = new Map([
      ['a', { jobId: 'a', status: 'SUCCEEDED', vm: { moref: 'vm-1' } }],
      ['b', { jobId: 'b', status: 'FAILED', error: failed }],
    ]);
    // Act
    const audit = auditChaos(
      ['a', 'b'],
      jobs,
      [vm('vm-1', 'a'), vm('vm-9')],
      [event('a', 'Clone Succeeded'), event('b', 'Clone Failed')],
      NOW,
    );
    // Assess
    expect(audit).toMatchObject({
      lost: 0,
      duplicate_vms: 0,
      stuck: 0,
      wrong_state: 0,
      events_missing: 0,
      not_terminal_after_deadline: 0,
      failed_without_reason: 0,
    });
  });

  it('flags each kind of disagreement once, with the job id as evidence', () => {
    // Prepare
    const jobs = new Map([
      ['lost', undefined],
      ['dup', { jobId: 'dup', status: 'SUCCEEDED', vm: { moref: 'vm-2' } }],
      ['stuck', { jobId: 'stuck', status: 'RUNNING' }],
      ['orphan', { jobId: 'orphan', status: 'FAILED', error: failed }],
      ['gone', { jobId: 'gone', status: 'SUCCEEDED', vm: { moref: 'vm-404' } }],
    ]);
    const vms = [vm('vm-2', 'dup'), vm('vm-3', 'dup'), vm('vm-4', 'orphan')];
    const events = [event('dup', 'Clone Succeeded'), event('orphan', 'Clone Failed'), event('gone', 'Clone Succeeded')];
    // Act
    const audit = auditChaos([...jobs.keys()], jobs, vms, events, NOW);
    // Assess
    expect(audit).toMatchObject({ lost: 1, duplicate_vms: 1, stuck: 1, wrong_state: 2, events_missing: 0 });
    expect(audit.examples.wrong_state?.map((e) => e.jobId)).toEqual(['orphan', 'gone']);
  });

  it('counts a terminal job without the event of its outcome as an event missing', () => {
    // Prepare
    const jobs = new Map([['a', { jobId: 'a', status: 'SUCCEEDED', vm: { moref: 'vm-1' } }]]);
    // Act
    const audit = auditChaos(['a'], jobs, [vm('vm-1', 'a')], [event('a', 'Clone Failed')], NOW);
    // Assess
    expect(audit.events_missing).toBe(1);
  });

  it('counts a job still unfinished past its deadline, and a FAILED job that does not say why', () => {
    // Prepare
    const jobs = new Map([
      ['late', { jobId: 'late', status: 'RUNNING', deadlineAt: '2026-12-04T11:59:00.000Z' }],
      ['on-time', { jobId: 'on-time', status: 'QUEUED', deadlineAt: '2026-12-04T12:10:00.000Z' }],
      ['mute', { jobId: 'mute', status: 'FAILED', error: { code: 'VCENTER_FAULT', message: '' } }],
    ]);
    // Act
    const audit = auditChaos([...jobs.keys()], jobs, [], [event('mute', 'Clone Failed')], NOW);
    // Assess
    expect(audit).toMatchObject({ not_terminal_after_deadline: 1, failed_without_reason: 1, stuck: 2 });
    expect(audit.examples.not_terminal_after_deadline?.map((e) => e.jobId)).toEqual(['late']);
  });

  it('counts a deleted job as stuck while DESTROYING and as wrong once DESTROYED with its VM still there', () => {
    // Prepare
    const jobs = new Map([
      ['destroying', { jobId: 'destroying', status: 'DESTROYING' }],
      ['destroyed', { jobId: 'destroyed', status: 'DESTROYED' }],
    ]);
    // Act
    const audit = auditChaos([...jobs.keys()], jobs, [vm('vm-7', 'destroyed')], [], NOW);
    // Assess
    expect(audit).toMatchObject({ stuck: 1, wrong_state: 1 });
  });
});
