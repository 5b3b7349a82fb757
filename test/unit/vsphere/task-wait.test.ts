import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, type MoRef, VimFaultError } from '#shared/vsphere/index';
import { countingCredentials, type FakeVcenter, fixture, ok, type Reply, startFakeVcenter } from './fake-vcenter.js';

const TASK: MoRef<'Task'> = { type: 'Task', value: 'task-4711' };
const SOURCE: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: 'vm-42' };
const soon = () => Date.now() + 5_000;

/** WaitForUpdatesEx answers in order; the last one repeats. */
const updates =
  (...names: string[]) =>
  (_req: unknown, n: number): Reply =>
    ok(names[Math.min(n, names.length) - 1] ?? '');

describe('vim25 client: waiting for tasks', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('follows a task from running to success (a server that sends the whole info)', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: updates('wait-for-updates-running.xml', 'wait-for-updates-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info).toMatchObject({ moref: TASK, state: 'success', result: { type: 'VirtualMachine', value: 'vm-1001' } });
    expect(info.entity).toEqual(SOURCE);
    expect(info.entityName).toBe('web-golden');
    const waits = vc.calls('WaitForUpdatesEx').map((r) => r.body);
    expect(waits[0]).not.toContain('version>');
    expect(waits[1]).toMatch(/<(\w+:)?version>1<\/(\w+:)?version><(\w+:)?options><(\w+:)?maxWaitSeconds>\d+</);
  });

  it('watches only the paths that change when a task appears and when it ends', async () => {
    // Prepare: a server that honours the pathSet reports completeTime and result, never state or progress.
    vc = await startFakeVcenter({
      WaitForUpdatesEx: updates('wait-for-updates-paths-enter.xml', 'wait-for-updates-paths-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    const pathSet = [...(vc.calls('CreateFilter')[0]?.body ?? '').matchAll(/<(?:\w+:)?pathSet>([^<]+)</g)].map(
      (m) => m[1],
    );
    expect(pathSet).toEqual(['info.entity', 'info.result', 'info.error', 'info.completeTime']);
    expect(info).toMatchObject({
      state: 'success',
      entity: SOURCE,
      result: { type: 'VirtualMachine', value: 'vm-1001' },
      completeTime: '2026-11-25T12:00:01.250Z',
    });
    expect(vc.calls('WaitForUpdatesEx')).toHaveLength(2);
  });

  it('reads a completeTime that came with an error as a failed task', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: updates('wait-for-updates-paths-enter.xml', 'wait-for-updates-paths-error.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info.state).toBe('error');
    expect(info.error).toMatchObject({ faultType: 'InvalidPowerState', classification: 'terminal' });
  });

  it('folds partial info.state / info.result updates into the TaskInfo', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: updates('wait-for-updates-running.xml', 'wait-for-updates-partial-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info).toMatchObject({
      state: 'success',
      progress: 100,
      result: { type: 'VirtualMachine', value: 'vm-1001' },
    });
  });

  it('returns a task error as a typed fault in info.error instead of throwing', async () => {
    // Prepare
    vc = await startFakeVcenter({ WaitForUpdatesEx: updates('wait-for-updates-error.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info.state).toBe('error');
    expect(info.error).toBeInstanceOf(VimFaultError);
    expect(info.error).toMatchObject({
      faultType: 'InvalidPowerState',
      classification: 'terminal',
      fields: { requestedState: 'poweredOn', existingState: 'poweredOff' },
      message: 'The attempted operation cannot be performed in the current state (Powered off).',
    });
  });

  it('returns the last known state when the deadline passes first', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) => (n === 1 ? ok('wait-for-updates-running.xml') : 'hang'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const started = Date.now();

    // Act
    const info = await vim.waitForTask(TASK, { deadline: Date.now() + 300 });

    // Assess
    expect(info).toMatchObject({ state: 'running', progress: 40 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps waiting across empty (maxWaitSeconds elapsed) answers', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: updates(
        'wait-for-updates-running.xml',
        'wait-for-updates-timeout.xml',
        'wait-for-updates-success.xml',
      ),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.calls('WaitForUpdatesEx')).toHaveLength(3);
    expect(vc.calls('WaitForUpdatesEx')[2]?.body).toMatch(/version>1</);
  });

  it('rejects with an aborted transport error when the signal fires during a wait', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) => (n === 1 ? ok('wait-for-updates-running.xml') : 'hang'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);

    // Act
    const error = await vim.waitForTask(TASK, { deadline: soon(), signal: controller.signal }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'aborted', retryable: true });
  });

  it('re-creates the property collector after a re-login mid-wait', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) =>
        n === 1
          ? ok('wait-for-updates-running.xml')
          : n === 2
            ? { status: 500, body: fixture('fault-not-authenticated.xml') }
            : n === 3
              ? {
                  status: 500,
                  body: fixture('fault-managed-object-not-found.xml').replaceAll('VirtualMachine', 'PropertyCollector'),
                }
              : ok('wait-for-updates-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.calls('Login')).toHaveLength(2);
    expect(vc.calls('CreatePropertyCollector')).toHaveLength(2);
    expect(vc.calls('CreateFilter')).toHaveLength(2);
  });

  it('costs 3 round trips per clone on a warm client: no CreateFilter once the source is watched', async () => {
    // Prepare
    let task = 'task-0';
    vc = await startFakeVcenter({
      InstantClone_Task: (_req, n) => {
        task = `task-${n}`;
        return { body: fixture('instant-clone-task.xml').replace('task-4711', task) };
      },
      WaitForUpdatesEx: (_req, n) => {
        const name = n % 2 === 1 ? 'wait-for-updates-running.xml' : 'wait-for-updates-success.xml';
        return { body: fixture(name).replaceAll('task-4711', task) };
      },
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'warm-up' }), { deadline: soon() });
    const before = vim.roundTrips;

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'second' }), { deadline: soon() });

    // Assess
    expect(info).toMatchObject({ state: 'success', moref: { type: 'Task', value: 'task-2' } });
    expect(vim.roundTrips - before).toBe(3);
    expect(vc.requests.slice(-3).map((r) => r.method)).toEqual([
      'InstantClone_Task',
      'WaitForUpdatesEx',
      'WaitForUpdatesEx',
    ]);
    expect(vc.calls('CreatePropertyCollector')).toHaveLength(1);
    expect(vc.calls('CreateFilter')).toHaveLength(1);
    const sourceFilter = vc.calls('CreateFilter')[0]?.body ?? '';
    expect(sourceFilter).toMatch(/<(\w+:)?obj type="VirtualMachine">vm-42<\/(\w+:)?obj><(\w+:)?skip>true</);
    expect(sourceFilter).toMatch(
      /<(\w+:)?selectSet xsi:type="TraversalSpec"><(\w+:)?name>recentTask<\/(\w+:)?name><(\w+:)?type>VirtualMachine<\/(\w+:)?type><(\w+:)?path>recentTask</,
    );
  });

  it('falls back to a task filter when the source filter does not report the task', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) =>
        n === 1 ? ok('wait-for-updates-timeout.xml') : { body: fixture('wait-for-updates-success.xml') },
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    expect(info.state).toBe('success');
    const filters = vc.calls('CreateFilter').map((r) => r.body);
    expect(filters).toHaveLength(2);
    expect(filters[1]).toMatch(/<(\w+:)?obj type="Task">task-4711</);
  });

  it('recycles the shared collector once finished task filters pile up and nobody waits', async () => {
    // Prepare
    let task = 'task-0';
    vc = await startFakeVcenter({
      WaitForUpdatesEx: () => ({ body: fixture('wait-for-updates-success.xml').replaceAll('task-4711', task) }),
      DestroyPropertyCollector: { body: fixture('logout.xml').replaceAll('Logout', 'DestroyPropertyCollector') },
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    for (let i = 0; i < 66; i++) {
      task = `task-${i}`;
      await vim.waitForTask({ type: 'Task', value: task }, { deadline: soon() });
    }

    // Assess
    expect(vc.calls('DestroyPropertyCollector')).toHaveLength(1);
    expect(vc.calls('CreatePropertyCollector')).toHaveLength(2);
    expect(vc.calls('CreateFilter')).toHaveLength(66);
  });
});
