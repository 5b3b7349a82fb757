/**
 * SOAP round trips and wall time per instant clone on a warm vim25 client, against the in-process simulator.
 * Prints JSON lines: the machine, one line per clone, then a summary per flow.
 * - `clone`: instantClone (given the source's facts) + waitForTask (the client's own cost; the budget is ≤ 4)
 * - `worker`: the worker's adapter (VsphereVmCloner) on a job's first delivery, as execute-clone calls it:
 *   startClone + waitForClone (which reads the new VM's NICs, MACs and extraConfig in one read, to check them)
 * - `redelivery`: the same on a later delivery that found no task recorded: findClone (reconcile by name) first
 *
 * Usage: `npx tsx bench/soap-round-trips.bench.ts [clones=100] [taskDurationMs=10]`
 */
import { startVcSim } from '#local/vcsim/index';
import { VsphereVmCloner } from '#shared/clones/adapters/vsphere-vm-cloner';
import type { ClonePlan } from '#shared/clones/ports/vm-cloner';
import { createVimClient, type MoRef, type VimClient, type VmFacts } from '#shared/vsphere/index';
import { emit, machine } from './machine.js';

type Flow = 'clone' | 'worker' | 'redelivery';

const clones = Number(process.argv[2] ?? 100);
const taskDurationMs = Number(process.argv[3] ?? 10);

async function cloneOnce(vim: VimClient, cloner: VsphereVmCloner, flow: Flow, source: VmFacts, name: string) {
  if (flow === 'clone') {
    const task = await vim.instantClone(source, {
      name,
      nics: [{ key: 4000 }],
      extraConfig: { 'guestinfo.bench': name },
    });
    const info = await vim.waitForTask(task, { deadline: Date.now() + 30_000 });
    if (info.state !== 'success') throw new Error(`clone ${name} ended ${info.state}: ${info.error?.message}`);
    return;
  }
  const plan: ClonePlan = {
    source: { path: '/DC0/vm/DC0_H0_VM0' },
    name,
    nics: [{ key: 4000 }],
    serialPorts: [],
    parallelPorts: [],
    extraConfig: { 'instaclone.jobId': name, 'guestinfo.bench': name },
  };
  if (flow === 'redelivery' && (await cloner.findClone(plan, {}))) throw new Error(`${name} exists already`);
  const { taskRef } = await cloner.startClone(plan, {});
  const outcome = await cloner.waitForClone(taskRef, { deadline: Date.now() + 30_000 });
  if (outcome.state !== 'succeeded') throw new Error(`clone ${name} ended ${outcome.state}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(flow: Flow): Promise<void> {
  const vc = await startVcSim({ port: 0, taskDurationMs });
  const vim = createVimClient({ url: vc.url, credentials: async () => ({ username: 'bench', password: 'bench' }) });
  try {
    // The source's facts carry the devices the NIC edit restates (read once, as the worker's cache does).
    const source = await vim.getVm((await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0')) as MoRef<'VirtualMachine'>);
    // One adapter per run, as the worker keeps one per cold start (its source lookups are cached).
    const cloner = new VsphereVmCloner(vim);
    await cloneOnce(vim, cloner, flow, source, `bench-${flow}-warmup`);
    const trips: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < clones; i++) {
      const before = vim.roundTrips;
      const started = performance.now();
      await cloneOnce(vim, cloner, flow, source, `bench-${flow}-${i}`);
      const ms = performance.now() - started;
      trips.push(vim.roundTrips - before);
      times.push(ms);
      emit({ kind: 'clone', flow, clone: i, roundTrips: vim.roundTrips - before, ms: Number(ms.toFixed(2)) });
    }
    const sortedMs = [...times].sort((a, b) => a - b);
    emit({
      kind: 'summary',
      flow,
      clones,
      taskDurationMs,
      roundTripsPerClone: {
        min: Math.min(...trips),
        max: Math.max(...trips),
        mean: Number((trips.reduce((a, b) => a + b, 0) / trips.length).toFixed(2)),
      },
      msPerClone: {
        p50: Number(percentile(sortedMs, 50).toFixed(2)),
        p95: Number(percentile(sortedMs, 95).toFixed(2)),
      },
      totalRoundTrips: vim.roundTrips,
    });
  } finally {
    await vim.logout();
    await vc.close();
  }
}

emit(machine());
for (const flow of ['clone', 'worker', 'redelivery'] as const) await run(flow);
