import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { startVcSim } from '#local/vcsim/index';
import { childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, VimTestClient } from './vim-client.js';

function httpsGet(url: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, rejectUnauthorized: true }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('vcsim: TLS and task lifecycle', () => {
  it('serves https with a self-signed certificate that verifies against the returned CA', async () => {
    // Prepare
    const vc = await startVcSim({ tls: true });
    try {
      // Act
      const trusted = await httpsGet(`${vc.url}/vimServiceVersions.xml`, vc.ca);
      const untrusted = await httpsGet(`${vc.url}/vimServiceVersions.xml`, undefined).catch(
        (err: Error) => err.message,
      );
      // Assess
      expect(vc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/sdk$/);
      expect(vc.ca).toContain('-----BEGIN CERTIFICATE-----');
      expect(trusted).toBe(200);
      expect(untrusted).toMatch(/self[- ]signed|certificate/i);
    } finally {
      await vc.close();
    }
  });

  it('moves a task from queued through running with progress to success with timestamps in order', async () => {
    // Prepare
    const vc = await startVcSim({ taskDurationMs: 1500 });
    const client = new VimTestClient(vc.url);
    try {
      await client.login();
      const source = await client.findVm('/DC0/vm/DC0_H0_VM0');
      const task = await client.instantClone(source, 'slow');
      // Act: progress 50 is reported from half the duration until completion
      const queued = await client.props('Task', task, ['info.state']);
      let running = await client.props('Task', task, ['info.state', 'info.progress']);
      for (let i = 0; i < 100 && running.get('info.progress')?.text !== '50'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        running = await client.props('Task', task, ['info.state', 'info.progress']);
      }
      const done = await client.waitForTask(task);
      // Assess
      expect(queued.get('info.state')?.text).toMatch(/queued|running/);
      expect(running.get('info.state')?.text).toBe('running');
      expect(running.get('info.progress')?.text).toBe('50');
      const times = ['queueTime', 'startTime', 'completeTime'].map((f) => Date.parse(childText(done, f) ?? ''));
      expect(times.every(Number.isFinite)).toBe(true);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(childText(done, 'cancelable')).toBe('false');
      expect(childText(done, 'progress')).toBe('100');
    } finally {
      await vc.close();
    }
  });

  it('refuses CancelTask on a finished task with InvalidState and lists the task in recentTask', async () => {
    // Prepare
    const vc = await startVcSim({ taskDurationMs: 0 });
    const client = new VimTestClient(vc.url);
    try {
      await client.login();
      const source = await client.findVm('/DC0/vm/DC0_H0_VM0');
      const task = await client.instantClone(source, 'quick');
      await client.waitForTask(task);
      // Act
      const cancel = await client.call('CancelTask', ['Task', task]);
      const recent = await client.props('VirtualMachine', source, ['recentTask']);
      // Assess
      expect(faultType(cancel)).toBe('InvalidState');
      expect(recent.get('recentTask')?.children.map((c) => c.text)).toContain(task);
    } finally {
      await vc.close();
    }
  });

  it('stops cleanly while a WaitForUpdatesEx is blocked', async () => {
    // Prepare
    const vc = await startVcSim();
    const client = new VimTestClient(vc.url);
    await client.login();
    const pc = (await client.ref('CreatePropertyCollector', ['PropertyCollector', 'propertyCollector']))!;
    expectOk(
      await client.call(
        'CreateFilter',
        ['PropertyCollector', pc],
        '<spec><propSet><type>Folder</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj></objectSet></spec><partialUpdates>false</partialUpdates>',
      ),
    );
    await client.call('WaitForUpdatesEx', ['PropertyCollector', pc], '<options/>');
    const pending = client
      .call('WaitForUpdatesEx', ['PropertyCollector', pc], '<version>1</version><options/>')
      .catch(() => 'closed');
    // Act
    const started = Date.now();
    await vc.close();
    const outcome = await pending;
    // Assess
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome).toBeDefined();
  });
});
