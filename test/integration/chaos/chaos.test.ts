import { describe, expect, it } from 'vitest';
import { defaultChaosOptions } from '#local/chaos/chaos-options';
import { runChaos } from '#local/chaos/chaos-run';

/**
 * The chaos experiment in miniature (the full one is `npm run chaos`): 40 jobs, every message delivered twice, two
 * SIGKILLs of the worker's process (one right after an InstantClone_Task), one clean restart of the stack, session
 * expiry and the injected vCenter faults, with the simulator in its own process so the audit sees every VM. The drain
 * allows for a job that met several injected faults and waits out its backoff (2, 4, 8, 16, 32 s) on a loaded machine;
 * it ends as soon as every job has, so it costs nothing when all is well.
 */
describe('Chaos: exactly one VM per job under kills, restarts, duplicates and vCenter faults', () => {
  it('loses no job, makes no second VM, leaves nothing stuck or contradicting, announces every outcome', async () => {
    // Prepare
    const options = { ...defaultChaosOptions(40), seed: 20261125, drainTimeoutMs: 100_000 };
    // Act
    const report = await runChaos(options, () => {});
    // Assess
    const figures = {
      lost: report.lost,
      duplicate_vms: report.duplicate_vms,
      stuck: report.stuck,
      wrong_state: report.wrong_state,
      events_missing: report.events_missing,
      secretsInLogs: report.secretsInLogs,
    };
    const evidence = {
      examples: report.examples,
      queues: report.queues,
      byStatus: report.byStatus,
      redriven: report.redriven,
    };
    expect(figures, JSON.stringify(evidence)).toEqual({
      lost: 0,
      duplicate_vms: 0,
      stuck: 0,
      wrong_state: 0,
      events_missing: 0,
      secretsInLogs: 0,
    });
    expect(report.accepted).toBe(40);
    expect(report.kills.afterInstantClone + report.kills.onTimer).toBe(2);
  }, 200_000);
});
