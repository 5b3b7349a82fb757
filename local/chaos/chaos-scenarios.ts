import { createVimClient, isFault, type MoRef, type VimClient } from '#shared/vsphere/index';
import type { FaultRule } from '../vcsim/index.js';
import type { ChaosOptions } from './chaos-options.js';
import type { SimAdmin } from './sim-admin.js';

/** The golden image some jobs clone by path: destroyed and re-created mid-run, as a weekly image build does. */
export const GOLDEN_PATH = '/DC0/vm/chaos-golden';
const GOLDEN_BASE = '/DC0/vm/DC0_H0_VM0';

/** What one submitted job asks for, and whether it is DELETEd after it is accepted. */
export type JobPlan = {
  source: { moref: string } | { path: string };
  /** Absent: the default deadline (15 minutes). */
  timeoutMinutes?: number;
  /** DELETE the job this long after it was accepted. */
  deleteAfterMs?: number;
};

/** The answer every garbage-source call gets: an HTML page, not SOAP (a captive proxy in front of vCenter). */
export const garbageRule = (source: string): FaultRule => ({
  method: 'InstantClone_Task',
  object: source,
  effect: 'garbage',
});

/**
 * Which job does what: about one in ten clones the golden image by path, one in twenty the source that answers
 * garbage, one in ten (during an outage run) has a 1-minute deadline, `options.deletes` are DELETEd 150 ms after
 * they are accepted (QUEUED or RUNNING then); the rest go round-robin over the other sources.
 */
export function jobPlanner(options: ChaosOptions, sources: readonly string[]): (i: number) => JobPlan {
  const garbage = garbageSourceOf(options, sources);
  const healthy = sources.filter((source) => source !== garbage);
  const deleteEvery = options.deletes > 0 ? Math.max(2, Math.floor(options.jobs / options.deletes)) : 0;
  return (i) => {
    const source =
      options.goldenRefresh && i % 10 === 3
        ? { path: GOLDEN_PATH }
        : garbage !== undefined && i % 20 === 7
          ? { moref: garbage }
          : { moref: healthy[i % healthy.length] ?? '' };
    return {
      source,
      ...(options.outageSeconds > 0 && i % 10 === 5 && { timeoutMinutes: 1 }),
      ...(deleteEvery > 0 && i % deleteEvery === 1 && { deleteAfterMs: 150 }),
    };
  };
}

/** The garbage-answering source of `jobPlanner`, if the run has one: the last (the golden image is built from the first). */
export const garbageSourceOf = (options: ChaosOptions, sources: readonly string[]): string | undefined =>
  options.garbageSource && sources.length > 1 ? sources[sources.length - 1] : undefined;

/** Runs `work` until it succeeds, at most five times a second apart: the run's injected faults hit the builder too. */
const persist = async <T>(work: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
};

/**
 * An image builder's vCenter client: builds `chaos-golden` from DC0_H0_VM0, and refreshes it (power off, destroy,
 * build again: a new moref under the same path). A build whose task failed but left the clone (an injected orphan)
 * takes the clone it left.
 */
export function goldenImage(url: string, credentials: { username: string; password: string }) {
  const vim: VimClient = createVimClient({ url, credentials: async () => credentials });
  const soon = () => Date.now() + 30_000;
  let golden: MoRef<'VirtualMachine'> | undefined;
  const finish = async (task: MoRef<'Task'>): Promise<unknown> => {
    const info = await vim.waitForTask(task, { deadline: soon() });
    if (info.state !== 'success')
      throw new Error(
        `${GOLDEN_PATH}: a task ended ${info.state}: ${JSON.stringify(info.error ?? null).slice(0, 300)}`,
      );
    return info.result;
  };
  const build = () =>
    persist(async () => {
      const existing = await vim.findByInventoryPath(GOLDEN_PATH);
      if (existing) {
        golden = existing as MoRef<'VirtualMachine'>;
        return;
      }
      const base = (await vim.findByInventoryPath(GOLDEN_BASE)) as MoRef<'VirtualMachine'>;
      golden = (await finish(await vim.instantClone(base, { name: 'chaos-golden' }))) as MoRef<'VirtualMachine'>;
    });
  const refresh = async (): Promise<void> => {
    const old = golden;
    if (old) {
      await persist(async () => {
        const facts = await vim.getVm(old).catch((err: unknown) => {
          if (isFault(err, 'ManagedObjectNotFound')) return undefined; // an earlier try destroyed it
          throw err;
        });
        if (!facts) return;
        if (facts.powerState === 'poweredOn') await finish(await vim.powerOff(old));
        await finish(await vim.destroy(old));
      });
    }
    await build();
  };
  return { build, refresh, close: () => vim.logout() };
}

/**
 * A vCenter outage: for `seconds`, every SOAP call's connection is reset; then the run's own rules (`rules`) are back.
 * Resolves when vCenter answers again.
 */
export async function vcenterOutage(admin: SimAdmin, seconds: number, rules: readonly FaultRule[]): Promise<void> {
  await admin.clearFaults();
  await admin.addFault({ effect: 'connectionReset' });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await admin.clearFaults();
  for (const rule of rules) await admin.addFault(rule);
}
