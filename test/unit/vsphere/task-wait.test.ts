import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, type MoRef, VimFaultError } from '#shared/vsphere/index';
import { tasksOrVm } from './client-requests.js';
import { countingCredentials, type FakeVcenter, fixture, ok, type Reply, startFakeVcenter } from './fake-vcenter.js';

const TASK: MoRef<'Task'> = { type: 'Task', value: 'task-4711' };
const SOURCE: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: 'vm-42' };
const soon = () => Date.now() + 5_000;

/** Answers in order; the last one repeats. */
const inOrder =
  (...names: string[]) =>
  (_req: unknown, n: number): Reply =>
    ok(names[Math.min(n, names.length) - 1] ?? '');

const methods = (vc: FakeVcenter) => vc.requests.map((r) => r.method);

describe('vim25 client: waiting for a task this client started on a watched source', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('costs 3 round trips per clone on a warm client: no CreateFilter and no read once the source is watched', async () => {
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
    expect(methods(vc).slice(-3)).toEqual(['InstantClone_Task', 'WaitForUpdatesEx', 'WaitForUpdatesEx']);
    expect(vc.calls('CreatePropertyCollector')).toHaveLength(1);
    expect(vc.calls('CreateFilter')).toHaveLength(1);
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(0);
  });

  it('watches only the paths that change when a task appears and when it ends', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: inOrder('wait-for-updates-paths-enter.xml', 'wait-for-updates-paths-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    const pathSet = [...(vc.calls('CreateFilter')[0]?.body ?? '').matchAll(/<pathSet>([^<]+)</g)].map((m) => m[1]);
    expect(pathSet).toEqual(['info.entity', 'info.result', 'info.error', 'info.completeTime']);
    expect(info).toMatchObject({
      state: 'success',
      entity: SOURCE,
      result: { type: 'VirtualMachine', value: 'vm-1001' },
      completeTime: '2026-11-25T12:00:01.250Z',
    });
  });

  it('reads a completeTime that came with an error as a failed task', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: inOrder('wait-for-updates-paths-enter.xml', 'wait-for-updates-paths-error.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    expect(info.state).toBe('error');
    expect(info.error).toMatchObject({ faultType: 'InvalidPowerState', classification: 'terminal' });
  });

  it('folds partial info.state / info.result updates into the TaskInfo', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: inOrder('wait-for-updates-running.xml', 'wait-for-updates-partial-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    expect(info).toMatchObject({
      state: 'success',
      progress: 100,
      result: { type: 'VirtualMachine', value: 'vm-1001' },
    });
  });

  it('reads the task directly when a wait that began after it comes back without it', async () => {
    // Prepare: the filter never reports the task (a server that sends a late filter no initial state)
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) => (n <= 2 ? ok('wait-for-updates-timeout.xml') : 'hang'),
      RetrievePropertiesEx: ok('retrieve-properties-task-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    expect(info).toMatchObject({ state: 'success', result: { type: 'VirtualMachine', value: 'vm-1001' } });
    expect(vc.calls('RetrievePropertiesEx')[0]?.body).toContain('<obj type="Task">task-4711</obj>');
  });

  it('reads the task directly before giving up at the deadline when its update went to someone else', async () => {
    // Prepare: the task appeared, then the collector stays silent (its end was handed to another waiter)
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) => (n === 1 ? ok('wait-for-updates-running.xml') : 'hang'),
      RetrievePropertiesEx: ok('retrieve-properties-task-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const task = await vim.instantClone(SOURCE, { name: 'ic-1' });

    // Act
    const info = await vim.waitForTask(task, { deadline: Date.now() + 300 });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(1);
  });

  it('returns the state read at the deadline when the task is still running', async () => {
    // Prepare
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) => (n === 1 ? ok('wait-for-updates-running.xml') : 'hang'),
      RetrievePropertiesEx: ok('retrieve-properties-task-running.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const task = await vim.instantClone(SOURCE, { name: 'ic-1' });

    // Act
    const info = await vim.waitForTask(task, { deadline: Date.now() + 300 });

    // Assess
    expect(info).toMatchObject({ state: 'running', progress: 40 });
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(1);
  });

  it('forgets a collector lost with the session and reads the task directly', async () => {
    // Prepare: the session expires mid-wait; after the re-login the old collector is gone
    vc = await startFakeVcenter({
      WaitForUpdatesEx: (_req, n) =>
        n === 1
          ? ok('wait-for-updates-running.xml')
          : n === 2
            ? { status: 500, body: fixture('fault-not-authenticated.xml') }
            : {
                status: 500,
                body: fixture('fault-managed-object-not-found.xml').replaceAll('VirtualMachine', 'PropertyCollector'),
              },
      RetrievePropertiesEx: ok('retrieve-properties-task-success.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(await vim.instantClone(SOURCE, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.calls('Login')).toHaveLength(2);
    expect(vc.calls('WaitForUpdatesEx')).toHaveLength(3);
  });
});

describe('vim25 client: waiting for any other task', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('reads a task it did not start (a redelivery) at once, without a property collector', async () => {
    // Prepare
    vc = await startFakeVcenter({ RetrievePropertiesEx: ok('retrieve-properties-task-success.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info).toMatchObject({ moref: TASK, state: 'success', entity: SOURCE, entityName: 'web-golden' });
    expect(methods(vc)).toEqual(['RetrieveServiceContent', 'Login', 'RetrievePropertiesEx']);
  });

  it('polls the task until it ends', async () => {
    // Prepare
    vc = await startFakeVcenter({
      RetrievePropertiesEx: inOrder(
        'retrieve-properties-task-running.xml',
        'retrieve-properties-task-running.xml',
        'retrieve-properties-task-success.xml',
      ),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const info = await vim.waitForTask(TASK, { deadline: soon() });

    // Assess
    expect(info.state).toBe('success');
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(3);
  });

  it('reads concurrent waits for several tasks in one RetrievePropertiesEx', async () => {
    // Prepare
    vc = await startFakeVcenter({ RetrievePropertiesEx: tasksOrVm });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const tasks = ['task-1', 'task-2', 'task-3'].map((value): MoRef<'Task'> => ({ type: 'Task', value }));

    // Act
    const infos = await Promise.all(tasks.map((task) => vim.waitForTask(task, { deadline: soon() })));

    // Assess
    expect(infos.map((i) => [i.moref.value, i.state])).toEqual([
      ['task-1', 'success'],
      ['task-2', 'success'],
      ['task-3', 'success'],
    ]);
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(1);
  });

  it('returns a task error as a typed fault in info.error instead of throwing', async () => {
    // Prepare
    vc = await startFakeVcenter({ RetrievePropertiesEx: ok('retrieve-properties-task-error.xml') });
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

  it('rejects with ManagedObjectNotFound when vCenter no longer has the task', async () => {
    // Prepare
    vc = await startFakeVcenter({ RetrievePropertiesEx: ok('retrieve-properties-task-gone.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const error = await vim.waitForTask(TASK, { deadline: soon() }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_FAULT', faultType: 'ManagedObjectNotFound' });
  });

  it('rejects with an aborted transport error when the signal fires during a wait', async () => {
    // Prepare
    vc = await startFakeVcenter({ RetrievePropertiesEx: ok('retrieve-properties-task-running.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);

    // Act
    const error = await vim.waitForTask(TASK, { deadline: soon(), signal: controller.signal }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'aborted', retryable: true });
  });
});
