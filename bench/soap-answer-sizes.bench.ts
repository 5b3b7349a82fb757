/**
 * The largest answer of each vim25 call the service makes, against a 10,000-VM simulator inventory, measured by a
 * recording proxy between the client and the simulator. Drives what a busy worker does: 100 concurrent clones of
 * one source, its source read after 250 clones (the deepest delta-disk chain it allows), a redelivery reading 100
 * tasks at once, a clone carrying the most extraConfig a request may set (128 keys of 64 KiB), networks, NIC
 * reconnects, extraConfig updates and destroys. Prints JSON lines: the machine, one line per call (largest answer,
 * calls), then the largest overall and the client's answer cap.
 *
 * Usage: `npx tsx bench/soap-answer-sizes.bench.ts [vms=10000]`
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startVcSim } from '#local/vcsim/index';
import { VsphereVmCloner } from '#shared/clones/adapters/vsphere-vm-cloner';
import type { ClonePlan } from '#shared/clones/ports/vm-cloner';
import { createVimClient, DEFAULT_MAX_ANSWER_BYTES, type MoRef } from '#shared/vsphere/index';
import { measureXml } from '#shared/vsphere/soap/answer-bounds';
import { emit, machine } from './machine.js';

const vms = Number(process.argv[2] ?? 10_000);
const largest = new Map<string, { bytes: number; nodes: number; depth: number; calls: number }>();
/** Which step of the run is making calls (source reads before and after the chain grew, the fat clone). */
let step = 'clones';

/** The call a request makes, RetrievePropertiesEx split by what it reads. */
const callOf = (body: string): string => {
  const method = /<soapenv:Body><(\w+)/.exec(body)?.[1] ?? 'unknown';
  if (method !== 'RetrievePropertiesEx') return method;
  const type = /<propSet><type>(\w+)</.exec(body)?.[1] ?? '?';
  return `RetrievePropertiesEx(${type})${type === 'VirtualMachine' ? ` ${step}` : ''}`;
};

/** A proxy in front of the simulator that notes the size of every answer. */
const recordingProxy = async (target: URL): Promise<{ url: string; close: () => void }> => {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = callOf(body.toString('utf8'));
      const upstream = http.request(target, { method: 'POST', headers: req.headers, agent }, (answer) => {
        const parts: Buffer[] = [];
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.on('data', (c: Buffer) => {
          parts.push(c);
          res.write(c);
        });
        answer.on('end', () => {
          res.end();
          const xml = Buffer.concat(parts).toString('utf8');
          const { nodes, depth } = measureXml(xml);
          const seen = largest.get(call) ?? { bytes: 0, nodes: 0, depth: 0, calls: 0 };
          largest.set(call, {
            bytes: Math.max(seen.bytes, xml.length),
            nodes: Math.max(seen.nodes, nodes),
            depth: Math.max(seen.depth, depth),
            calls: seen.calls + 1,
          });
        });
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sdk`,
    close: () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
};

const vc = await startVcSim({ taskDurationMs: 10, inventory: { vms } });
const proxy = await recordingProxy(new URL(vc.url));
const vim = createVimClient({ url: proxy.url, credentials: async () => ({ username: 'bench', password: 'bench' }) });
const cloner = new VsphereVmCloner(vim);
const deadline = () => Date.now() + 120_000;
const plan = (name: string, extra: Partial<ClonePlan> = {}): ClonePlan => ({
  source: { path: '/DC0/vm/DC0_H0_VM0' },
  name,
  nics: [{ key: 4000, network: 'DC0_DVPG0', connected: false }],
  serialPorts: [],
  parallelPorts: [],
  extraConfig: { 'instaclone.jobId': name, 'guestinfo.bench': name },
  ...extra,
});
const cloneOnce = async (p: ClonePlan) => {
  const { taskRef } = await cloner.startClone(p, {});
  const outcome = await cloner.waitForClone(taskRef, { deadline: deadline() });
  if (outcome.state !== 'succeeded') throw new Error(`${p.name} ended ${outcome.state}`);
  return { taskRef, vm: outcome.vm };
};

try {
  emit(machine());
  // 100 concurrent clones of one source: the widest WaitForUpdatesEx answers.
  const first = await Promise.all(Array.from({ length: 100 }, (_, i) => cloneOnce(plan(`size-${i}`))));
  // 150 more, so the running source carries a delta-disk chain of 250: its deepest device list.
  for (let i = 100; i < 250; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => cloneOnce(plan(`size-${i + j}`))));
  }
  step = 'source after 250 clones';
  const source = (await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0')) as MoRef<'VirtualMachine'>;
  await vim.getVm(source);
  step = 'other reads';
  await cloner.sourceIdentity(plan('identity'), {});
  await vim.getNetwork((await vim.findByInventoryPath('/DC0/network/VM Network')) as MoRef);
  // A redelivery of 100 jobs: a fresh client reads 100 recorded tasks at once.
  const fresh = createVimClient({ url: proxy.url, credentials: async () => ({ username: 'bench', password: 'x' }) });
  await Promise.all(
    first.map(({ taskRef }) => fresh.waitForTask({ type: 'Task', value: taskRef }, { deadline: deadline() })),
  );
  await fresh.logout();
  // The most extraConfig a request may set: 64 guestinfo and 64 other keys of 64 KiB each.
  const big = Object.fromEntries(
    Array.from({ length: 128 }, (_, i) => [`${i < 64 ? 'guestinfo' : 'ci'}.k${i}`, 'x'.repeat(64 * 1024)]),
  );
  step = 'clone with 128 x 64 KiB extraConfig';
  const fat = await cloneOnce(plan('size-fat', { extraConfig: { ...big, 'instaclone.jobId': 'size-fat' } }));
  await cloner.findClone(plan('size-fat'), {});
  await cloner.reconnectNics(fat.vm.moref, [{ key: 4000 }], { deadline: deadline() });
  await cloner.setExtraConfig(fat.vm.moref, { 'guestinfo.more': 'y' }, { deadline: deadline() });
  await cloner.destroyClone(fat.vm.moref, { key: 'instaclone.jobId', value: 'size-fat' }, { deadline: deadline() });
  await vim
    .checkInstantClone(source, { name: 'size-check' })
    .then((task) => vim.waitForTask(task, { deadline: deadline() }));
  await vim.logout();
  for (const [call, { bytes, nodes, depth, calls }] of [...largest].sort((a, b) => b[1].bytes - a[1].bytes)) {
    emit({ kind: 'answer', call, largestBytes: bytes, mostNodes: nodes, deepest: depth, calls });
  }
  const most = (key: 'bytes' | 'nodes' | 'depth') => Math.max(...[...largest.values()].map((v) => v[key]));
  emit({
    kind: 'summary',
    vms,
    largestBytes: most('bytes'),
    mostNodes: most('nodes'),
    deepest: most('depth'),
    answerCapBytes: DEFAULT_MAX_ANSWER_BYTES,
  });
} finally {
  proxy.close();
  await vc.close();
}
