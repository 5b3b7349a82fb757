import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startVcSim } from '#local/vcsim/index';
import { emit, machine } from './machine.js';

/**
 * Simulator benchmark (issue 5 goals), one JSON object per line, no assertions:
 * - `vcsim.instantClone`: clones/s with zero task delay, InstantClone_Task calls from 16 concurrent callers until
 *   every task has succeeded (checked through the library API, so the figure is the simulator's, not a client's);
 * - `vcsim.instantCloneWithWait`: the same, each caller also waiting govmomi-style (CreatePropertyCollector,
 *   CreateFilter, WaitForUpdatesEx, DestroyPropertyCollector), i.e. what a real worker costs the simulator;
 * - `vcsim.retrievePropertiesEx`: one RetrievePropertiesEx of name + runtime.powerState over 10,000 VMs through a
 *   ContainerView (first call and best of three).
 * Sizes: VCSIM_BENCH_CLONES (default 2000), VCSIM_BENCH_VMS (default 10000).
 */

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

function post(
  url: string,
  cookie: string,
  body: string,
): Promise<{ status: number; text: string; setCookie?: string }> {
  const envelope = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'text/xml', soapaction: 'urn:vim25/8.0.3.0', cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            setCookie: res.headers['set-cookie']?.[0],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(envelope);
  });
}

const returnval = (text: string): string => /<returnval[^>]*>([^<]+)</.exec(text)?.[1] ?? '';
const call = (method: string, type: string, self: string, params = ''): string =>
  `<${method} xmlns="urn:vim25"><_this type="${type}">${self}</_this>${params}</${method}>`;

async function session(url: string): Promise<string> {
  const login = await post(
    url,
    '',
    call('Login', 'SessionManager', 'SessionManager', '<userName>u</userName><password>p</password>'),
  );
  return (login.setCookie ?? '').split(';')[0] ?? '';
}

async function waitTask(url: string, cookie: string, task: string): Promise<void> {
  const pc = returnval(
    await post(url, cookie, call('CreatePropertyCollector', 'PropertyCollector', 'propertyCollector')).then(
      (r) => r.text,
    ),
  );
  await post(
    url,
    cookie,
    call(
      'CreateFilter',
      'PropertyCollector',
      pc,
      `<spec><propSet><type>Task</type><pathSet>info.state</pathSet></propSet><objectSet><obj type="Task">${task}</obj></objectSet></spec><partialUpdates>false</partialUpdates>`,
    ),
  );
  let version = '';
  for (;;) {
    const { text } = await post(
      url,
      cookie,
      call('WaitForUpdatesEx', 'PropertyCollector', pc, `<version>${version}</version><options/>`),
    );
    version = /<version>(\d+)</.exec(text)?.[1] ?? version;
    if (/>(success|error)</.test(text)) break;
  }
  await post(url, cookie, call('DestroyPropertyCollector', 'PropertyCollector', pc));
}

async function clones(total: number, concurrency: number, wait: boolean): Promise<Record<string, number | string>> {
  const vc = await startVcSim({ taskDurationMs: 0, guestIpDelayMs: 3_600_000 });
  try {
    const cookie = await session(vc.url);
    const source = vc.sim.findVmByName('DC0_H0_VM0')!.moref;
    vc.sim.setFrozen(source, true);
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const { text } = await post(
          vc.url,
          cookie,
          call('InstantClone_Task', 'VirtualMachine', source, `<spec><name>bench-${i}</name><location/></spec>`),
        );
        if (wait) await waitTask(vc.url, cookie, returnval(text));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    while (vc.sim.listVms().length < total + 4) await new Promise((r) => setImmediate(r));
    const seconds = (performance.now() - started) / 1000;
    return {
      kind: 'figure',
      bench: wait ? 'vcsim.instantCloneWithWait' : 'vcsim.instantClone',
      clones: total,
      concurrency,
      seconds: round(seconds),
      clonesPerSecond: round(total / seconds),
      goal: '>= 200/s',
    };
  } finally {
    await vc.close();
  }
}

async function retrieveOverVms(vms: number): Promise<Record<string, number | string>> {
  const built = performance.now();
  const vc = await startVcSim({ inventory: { vms } });
  const buildMs = performance.now() - built;
  try {
    const cookie = await session(vc.url);
    const view = returnval(
      (
        await post(
          vc.url,
          cookie,
          call(
            'CreateContainerView',
            'ViewManager',
            'ViewManager',
            '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>',
          ),
        )
      ).text,
    );
    const spec = `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path></selectSet></objectSet></specSet><options/>`;
    const timings: number[] = [];
    let objects = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const { text } = await post(
        vc.url,
        cookie,
        call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', spec),
      );
      timings.push(performance.now() - started);
      objects = text.split('<objects>').length - 1;
    }
    return {
      kind: 'figure',
      bench: 'vcsim.retrievePropertiesEx',
      vms,
      objects,
      inventoryBuildMs: round(buildMs),
      firstMs: round(timings[0] ?? 0),
      bestMs: round(Math.min(...timings)),
      goal: '<= 1000 ms',
    };
  } finally {
    await vc.close();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

const cloneCount = Number(process.env['VCSIM_BENCH_CLONES'] ?? 2000);
const vmCount = Number(process.env['VCSIM_BENCH_VMS'] ?? 10_000);
emit(machine());
emit(await clones(cloneCount, 16, false));
emit(await clones(Math.ceil(cloneCount / 4), 16, true));
emit(await retrieveOverVms(vmCount));
agent.destroy();
