import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, VimTestClient } from './vim-client.js';

const SOURCE = '/DC0/vm/DC0_H0_VM0';

async function loggedIn(vc: VcSimHandle): Promise<VimTestClient> {
  const client = new VimTestClient(vc.url);
  expectOk(await client.login());
  return client;
}

async function clone(client: VimTestClient, name: string, extra = ''): Promise<{ task: string; vm: string }> {
  const source = await client.findVm(SOURCE);
  const spec = `<spec><name>${name}</name><location/><config><key>guestinfo.job</key><value xsi:type="xsd:string">${name}-job</value></config>${extra}</spec>`;
  const task = await client.instantClone(source, name, spec);
  return { task, vm: childText(await client.waitForTask(task), 'result') ?? '' };
}

const number = (moref: string): number => Number(moref.replace(/^\D+-?/, ''));

describe('vcsim: a state file keeps the world across restarts', () => {
  let dir: string;
  let file: string;
  let vc: VcSimHandle | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcsim-state-'));
    file = join(dir, 'nested', 'vcsim.json');
  });
  afterEach(async () => {
    await vc?.close();
    vc = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds both clones after a restart with their morefs, extraConfig, power state and MACs; new morefs are fresh', async () => {
    // Prepare
    vc = await startVcSim({ taskDurationMs: 0, guestIpDelayMs: 60_000, stateFile: file });
    let client = await loggedIn(vc);
    const first = await clone(client, 'kept-1');
    const second = await clone(client, 'kept-2');
    const folder = await client.ref('CreateFolder', ['Folder', await client.findVm('/DC0/vm')], '<name>team</name>');
    vc.sim.setPowerState(second.vm, 'poweredOff');
    const before = [first.vm, second.vm].map((m) => vc!.sim.getVm(m)!);
    const handedOut = [...vc.sim.listVms().map((vm) => vm.moref), folder!];
    // Act
    await vc.close();
    vc = await startVcSim({ taskDurationMs: 0, guestIpDelayMs: 60_000, stateFile: file });
    client = await loggedIn(vc);
    const third = await clone(client, 'after-restart');
    const oldTask = await client.call(
      'RetrievePropertiesEx',
      ['PropertyCollector', 'propertyCollector'],
      taskState(first.task),
    );
    // Assess
    for (const saved of before) {
      const loaded = vc.sim.getVm(saved.moref);
      expect(loaded).toMatchObject({
        name: saved.name,
        folder: saved.folder,
        host: saved.host,
        powerState: saved.powerState,
        extraConfig: saved.extraConfig,
        biosUuid: saved.biosUuid,
      });
      expect(loaded?.nics.map((n) => n.macAddress)).toEqual(saved.nics.map((n) => n.macAddress));
      expect(await client.findVm(`/DC0/vm/${saved.name}`)).toBe(saved.moref);
    }
    expect(vc.sim.getVm(first.vm)?.extraConfig['guestinfo.job']).toBe('kept-1-job');
    expect(await client.findVm('/DC0/vm/team')).toBe(folder);
    expect(handedOut).not.toContain(third.vm);
    expect(number(third.vm)).toBeGreaterThan(Math.max(...handedOut.map(number)));
    expect(number(third.task)).toBeGreaterThan(number(second.task));
    expect(faultType(oldTask)).toBe('ManagedObjectNotFound');
    const macs = vc.sim.listVms().flatMap((vm) => vm.nics.map((n) => n.macAddress));
    expect(new Set(macs).size).toBe(macs.length);
  });

  it('refuses to start on a file that is not a simulator state file, naming it', async () => {
    // Prepare
    writeFileSync(join(dir, 'foreign.json'), JSON.stringify({ jobs: [] }));
    // Act
    const started = startVcSim({ stateFile: join(dir, 'foreign.json') });
    // Assess
    await expect(started).rejects.toThrow(`${join(dir, 'foreign.json')} is not a simulator state file`);
  });

  it('writes the whole world to a new state file at start', async () => {
    // Act
    vc = await startVcSim({ taskDurationMs: 0, stateFile: file });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; entities: Array<{ type: string }> };
    // Assess
    expect(saved.version).toBe(1);
    expect(saved.entities.filter((e) => e.type === 'VirtualMachine')).toHaveLength(4);
    expect(saved.entities.map((e) => e.type)).toEqual(expect.arrayContaining(['Folder', 'Datacenter', 'Datastore']));
  });
});

function taskState(task: string): string {
  return `<specSet><propSet><type>Task</type><pathSet>info.state</pathSet></propSet><objectSet><obj type="Task">${task}</obj></objectSet></specSet><options/>`;
}
