import { afterEach, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle, type VcSimOptions } from '#local/vcsim/index';
import { child, childrenNamed, childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, VimTestClient } from './vim-client.js';

interface Update {
  filter: string;
  kind: string;
  obj: string;
  changes: Record<string, string>;
}

/** A client with its own session and its own collector, and the version its waits continue from. */
class Waiter {
  readonly client: VimTestClient;
  collector = '';
  version = '';

  constructor(url: string) {
    this.client = new VimTestClient(url);
  }

  async start(): Promise<this> {
    expectOk(await this.client.login());
    this.collector = (await this.client.ref('CreatePropertyCollector', ['PropertyCollector', 'propertyCollector']))!;
    return this;
  }

  async watch(type: string, value: string, path: string): Promise<string> {
    const spec = `<spec><propSet><type>${type}</type><pathSet>${path}</pathSet></propSet><objectSet><obj type="${type}">${value}</obj></objectSet></spec><partialUpdates>false</partialUpdates>`;
    return (await this.client.ref('CreateFilter', ['PropertyCollector', this.collector], spec))!;
  }

  /** One WaitForUpdatesEx from the current version; `[]` when it came back without an UpdateSet. */
  async wait(maxWaitSeconds: number): Promise<Update[]> {
    const reply = await this.client.call(
      'WaitForUpdatesEx',
      ['PropertyCollector', this.collector],
      `<version>${this.version}</version><options><maxWaitSeconds>${maxWaitSeconds}</maxWaitSeconds></options>`,
    );
    expectOk(reply);
    const updateSet = child(reply.body, 'returnval');
    if (!updateSet) return [];
    this.version = childText(updateSet, 'version') ?? '';
    return childrenNamed(updateSet, 'filterSet').flatMap((filterSet) =>
      childrenNamed(filterSet, 'objectSet').map((o) => ({
        filter: childText(filterSet, 'filter') ?? '',
        kind: childText(o, 'kind') ?? '',
        obj: childText(o, 'obj') ?? '',
        changes: Object.fromEntries(
          childrenNamed(o, 'changeSet').map((c) => [childText(c, 'name') ?? '', childText(c, 'val') ?? '']),
        ),
      })),
    );
  }
}

async function finishedClone(waiter: Waiter, name: string): Promise<{ task: string; vm: string }> {
  const source = await waiter.client.findVm('/DC0/vm/DC0_H0_VM0');
  const task = await waiter.client.instantClone(source, name);
  return { task, vm: childText(await waiter.client.waitForTask(task), 'result') ?? '' };
}

describe('vcsim: collector quirks for client robustness tests (not vCenter behaviour)', () => {
  let vc: VcSimHandle | undefined;
  const start = async (options: VcSimOptions) => {
    vc = await startVcSim({ taskDurationMs: 0, guestIpDelayMs: 60_000, ...options });
    return vc;
  };
  afterEach(async () => {
    await vc?.close();
    vc = undefined;
  });

  it('gives a filter created after the collector handed out a version no initial state, only later changes', async () => {
    // Prepare
    const sim = await start({ collectorQuirks: true });
    const waiter = await new Waiter(sim.url).start();
    await waiter.watch('VirtualMachine', (await waiter.client.findVm('/DC0/vm/DC0_H0_VM1'))!, 'name');
    await waiter.wait(0);
    const { task, vm } = await finishedClone(waiter, 'late');
    // Act
    await waiter.watch('Task', task, 'info.state');
    const lateFilter = await waiter.watch('VirtualMachine', vm, 'runtime.powerState');
    const initial = await waiter.wait(0);
    sim.sim.setPowerState(vm, 'poweredOff');
    const later = await waiter.wait(0);
    // Assess
    expect(initial).toEqual([]);
    expect(later).toEqual([
      { filter: lateFilter, kind: 'modify', obj: vm, changes: { 'runtime.powerState': 'poweredOff' } },
    ]);
  });

  it('without quirks reports a late filter’s initial state as enter, as vCenter does', async () => {
    // Prepare
    const sim = await start({});
    const waiter = await new Waiter(sim.url).start();
    await waiter.watch('VirtualMachine', (await waiter.client.findVm('/DC0/vm/DC0_H0_VM1'))!, 'name');
    await waiter.wait(0);
    const { task } = await finishedClone(waiter, 'late');
    // Act
    const lateFilter = await waiter.watch('Task', task, 'info.state');
    const initial = await waiter.wait(0);
    // Assess
    expect(initial).toEqual([{ filter: lateFilter, kind: 'enter', obj: task, changes: { 'info.state': 'success' } }]);
  });

  it('hands every update of a task to the session that polls first, never to the collector owning the filter', async () => {
    // Prepare
    const sim = await start({ collectorQuirks: true });
    const owner = await new Waiter(sim.url).start();
    const other = await new Waiter(sim.url).start();
    await other.watch('VirtualMachine', (await other.client.findVm('/DC0/vm/DC0_H0_VM1'))!, 'name');
    await other.wait(0);
    const source = await owner.client.findVm('/DC0/vm/DC0_H0_VM0');
    const task = await owner.client.instantClone(source, 'misrouted');
    const ownerFilter = await owner.watch('Task', task, 'info.state');
    // Act: the other session polls first, until the task's final state reached it
    const received: Update[] = [];
    for (let i = 0; i < 10 && received.at(-1)?.changes['info.state'] !== 'success'; i++) {
      received.push(...(await other.wait(1)));
    }
    const ownerGot = await owner.wait(0);
    const direct = await owner.client.props('Task', task, ['info.state']);
    // Assess
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((u) => u.filter === ownerFilter && u.obj === task)).toBe(true);
    expect(received.at(-1)?.changes['info.state']).toBe('success');
    expect(ownerGot).toEqual([]);
    expect(direct.get('info.state')?.text).toBe('success');
  });

  it('without quirks keeps a task’s updates on the collector that owns the filter', async () => {
    // Prepare
    const sim = await start({});
    const owner = await new Waiter(sim.url).start();
    const other = await new Waiter(sim.url).start();
    await other.watch('VirtualMachine', (await other.client.findVm('/DC0/vm/DC0_H0_VM1'))!, 'name');
    await other.wait(0);
    const { task } = await finishedClone(owner, 'routed');
    const ownerFilter = await owner.watch('Task', task, 'info.state');
    // Act
    const otherGot = await other.wait(0);
    const ownerGot = await owner.wait(0);
    // Assess
    expect(otherGot).toEqual([]);
    expect(ownerGot).toEqual([{ filter: ownerFilter, kind: 'enter', obj: task, changes: { 'info.state': 'success' } }]);
  });
});
