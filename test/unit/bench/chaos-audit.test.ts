import { describe, expect, it } from 'vitest';
import { type AuditedVm, auditChaos } from '#local/chaos/chaos-audit';

const vm = (moref: string, jobId?: string, powerState = 'poweredOn'): AuditedVm => ({
  moref,
  name: `instaclone-${jobId ?? moref}`,
  powerState,
  extraConfig: jobId ? { 'instaclone.jobId': jobId } : {},
});
const event = (jobId: string, type: string) => ({ 'detail-type': type, detail: { jobId } });

describe('Chaos audit', () => {
  it('counts zero for jobs whose table row, VM and event agree', () => {
    // Prepare
    const jobs = new Map([
      ['a', { jobId: 'a', status: 'SUCCEEDED', vm: { moref: 'vm-1' } }],
      ['b', { jobId: 'b', status: 'FAILED' }],
    ]);
    // Act
    const audit = auditChaos(
      ['a', 'b'],
      jobs,
      [vm('vm-1', 'a'), vm('vm-9')],
      [event('a', 'Clone Succeeded'), event('b', 'Clone Failed')],
    );
    // Assess
    expect(audit).toMatchObject({ lost: 0, duplicate_vms: 0, stuck: 0, wrong_state: 0, events_missing: 0 });
  });

  it('flags each kind of disagreement once, with the job id as evidence', () => {
    // Prepare
    const jobs = new Map([
      ['lost', undefined],
      ['dup', { jobId: 'dup', status: 'SUCCEEDED', vm: { moref: 'vm-2' } }],
      ['stuck', { jobId: 'stuck', status: 'RUNNING' }],
      ['orphan', { jobId: 'orphan', status: 'FAILED' }],
      ['gone', { jobId: 'gone', status: 'SUCCEEDED', vm: { moref: 'vm-404' } }],
    ]);
    const vms = [vm('vm-2', 'dup'), vm('vm-3', 'dup'), vm('vm-4', 'orphan')];
    const events = [event('dup', 'Clone Succeeded'), event('orphan', 'Clone Failed'), event('gone', 'Clone Succeeded')];
    // Act
    const audit = auditChaos([...jobs.keys()], jobs, vms, events);
    // Assess
    expect(audit).toMatchObject({ lost: 1, duplicate_vms: 1, stuck: 1, wrong_state: 2, events_missing: 0 });
    expect(audit.examples.wrong_state?.map((e) => e.jobId)).toEqual(['orphan', 'gone']);
  });

  it('counts a terminal job without the event of its outcome as an event missing', () => {
    // Prepare
    const jobs = new Map([['a', { jobId: 'a', status: 'SUCCEEDED', vm: { moref: 'vm-1' } }]]);
    // Act
    const audit = auditChaos(['a'], jobs, [vm('vm-1', 'a')], [event('a', 'Clone Failed')]);
    // Assess
    expect(audit.events_missing).toBe(1);
  });
});
