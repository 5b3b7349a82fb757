import { describe, expect, it } from 'vitest';
import { child, childText } from '#local/vcsim/soap/xml-reader';
import { faultType, useLoggedInSim } from './vim-client.js';

const SPEC = (name: string): string => `<spec><name>${name}</name><location/></spec>`;

describe('vcsim: fault injection and the admin API', () => {
  const sim = useLoggedInSim();

  it('raises an injected synchronous fault exactly count times for the matching method and object', async () => {
    // Prepare
    sim.vc.sim.injectFault({
      method: 'InstantClone_Task',
      object: sim.source,
      effect: 'fault',
      fault: 'TaskInProgress',
      count: 1,
    });
    // Act
    const first = await sim.client.call('InstantClone_Task', ['VirtualMachine', sim.source], SPEC('a'));
    const second = await sim.client.call('InstantClone_Task', ['VirtualMachine', sim.source], SPEC('b'));
    // Assess
    expect(faultType(first)).toBe('TaskInProgress');
    expect(second.status).toBe(200);
  });

  it('ends the task in error with an injected InsufficientResourcesFault and creates no VM', async () => {
    // Prepare
    sim.vc.sim.injectFault({ method: 'InstantClone_Task', effect: 'taskFault', fault: 'InsufficientResourcesFault' });
    // Act
    const task = await sim.client.instantClone(sim.source, 'starved');
    const info = await sim.client.waitForTask(task);
    // Assess
    expect(child(child(info, 'error')!, 'fault')?.xsiType).toBe('InsufficientResourcesFault');
    expect(child(info, 'progress')).toBeUndefined();
    expect(sim.vc.sim.findVmByName('starved')).toBeUndefined();
  });

  it('leaves an orphan clone behind a failed task in the "clone exists but task failed" window', async () => {
    // Prepare
    sim.vc.sim.injectFault({ method: 'InstantClone_Task', effect: 'orphan', fault: 'FileFault', count: 1 });
    // Act
    const task = await sim.client.instantClone(sim.source, 'orphan');
    const info = await sim.client.waitForTask(task);
    const retry = await sim.client.waitForTask(await sim.client.instantClone(sim.source, 'orphan'));
    // Assess
    expect(childText(info, 'state')).toBe('error');
    expect(child(child(info, 'error')!, 'fault')?.xsiType).toBe('FileFault');
    expect(sim.vc.sim.findVmByName('orphan')?.powerState).toBe('poweredOn');
    expect(child(child(retry, 'error')!, 'fault')?.xsiType).toBe('DuplicateName');
  });

  it('drops the session so the call faults NotAuthenticated', async () => {
    // Prepare
    sim.vc.sim.injectFault({ method: 'CurrentTime', effect: 'sessionDrop', count: 1 });
    // Act
    const dropped = await sim.client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    const later = await sim.client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    // Assess
    expect(faultType(dropped)).toBe('NotAuthenticated');
    expect(faultType(later)).toBe('NotAuthenticated');
  });

  it('answers HTTP 503 and resets connections when told to', async () => {
    // Prepare
    sim.vc.sim.injectFault({ method: 'CurrentTime', effect: 'http503', count: 1 });
    sim.vc.sim.injectFault({ method: 'CurrentTime', effect: 'connectionReset', count: 1 });
    const body =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></soapenv:Body></soapenv:Envelope>';
    const send = () => fetch(sim.vc.url, { method: 'POST', headers: { cookie: sim.client.cookie ?? '' }, body });
    // Act
    const unavailable = await send();
    const reset = await send().then(
      () => 'answered',
      () => 'reset',
    );
    const healthy = await send();
    // Assess
    expect(unavailable.status).toBe(503);
    expect(reset).toBe('reset');
    expect(healthy.status).toBe(200);
  });

  it('delays slow responses by delayMs', async () => {
    // Prepare
    sim.vc.sim.injectFault({ method: 'CurrentTime', effect: 'slow', delayMs: 150, count: 1 });
    // Act
    const started = Date.now();
    const reply = await sim.client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    // Assess
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('never fires a rule whose probability is 0 and stops after clearFaults', async () => {
    // Prepare
    sim.vc.sim.injectFault({ method: 'CurrentTime', effect: 'fault', probability: 0 });
    sim.vc.sim.injectFault({ method: 'FindByInventoryPath', effect: 'fault' });
    // Act
    const never = await sim.client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    sim.vc.sim.clearFaults();
    const cleared = await sim.client.call(
      'FindByInventoryPath',
      ['SearchIndex', 'SearchIndex'],
      '<inventoryPath>/DC0</inventoryPath>',
    );
    // Assess
    expect(never.status).toBe(200);
    expect(cleared.status).toBe(200);
  });

  it('takes fault rules, power and frozen changes and session expiry through the loopback admin API', async () => {
    // Prepare
    const admin = (path: string, method = 'GET', body?: unknown) =>
      fetch(new URL(path, sim.vc.url), { method, body: body === undefined ? undefined : JSON.stringify(body) });
    // Act
    const added = await admin('/vcsim/faults', 'POST', {
      method: 'CurrentTime',
      effect: 'fault',
      fault: 'SystemError',
      count: 1,
    });
    const rejected = await admin('/vcsim/faults', 'POST', { effect: 'explode' });
    const faulted = await sim.client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    const frozen = await admin(`/vcsim/vms/${sim.source}/frozen`, 'POST', { frozen: true });
    const off = await admin(`/vcsim/vms/${sim.source}/power`, 'POST', { state: 'poweredOff' });
    const stats = (await (await admin('/vcsim/stats')).json()) as {
      requests: number;
      byMethod: Record<string, number>;
    };
    const expired = await admin('/vcsim/sessions/expire', 'POST');
    const after = await sim.client.call('CurrentTime', ['ServiceInstance', 'ServiceInstance']);
    // Assess
    expect(added.status).toBe(201);
    expect(rejected.status).toBe(400);
    expect(faultType(faulted)).toBe('SystemError');
    expect(frozen.status).toBe(200);
    expect(off.status).toBe(200);
    expect(sim.vc.sim.getVm(sim.source)).toMatchObject({ powerState: 'poweredOff', frozen: false });
    expect(stats.byMethod['CurrentTime']).toBeGreaterThanOrEqual(1);
    expect(expired.status).toBe(204);
    expect(faultType(after)).toBe('NotAuthenticated');
  });
});
