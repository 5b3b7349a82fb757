import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, VimFaultError, VimTransportError } from '#shared/vsphere/index';
import { countingCredentials, type FakeVcenter, fault, fixture, type Route, startFakeVcenter } from './fake-vcenter.js';

const FOLDER = { type: 'Folder', value: 'group-v4' } as const;

async function findChildAgainst(route: Route, requestTimeoutMs = 5_000) {
  const vc = await startFakeVcenter({ FindChild: route });
  const vim = createVimClient({ url: vc.url, credentials: countingCredentials(), requestTimeoutMs });
  const error = await vim.findChild(FOLDER, 'x').catch((e: unknown) => e);
  return { vc, error };
}

describe('vim25 client: broken or hostile answers', () => {
  let vc: FakeVcenter | undefined;
  afterEach(async () => {
    await vc?.close();
    vc = undefined;
  });

  it('turns an HTML 503 page into a retryable http-status error', async () => {
    // Act
    const run = await findChildAgainst({ status: 503, contentType: 'text/html', body: fixture('html-error.html') });
    vc = run.vc;

    // Assess
    expect(run.error).toBeInstanceOf(VimTransportError);
    expect(run.error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'http-status', status: 503, retryable: true });
  });

  it('turns an HTML page with status 200 into a non-retryable bad-response error', async () => {
    // Act
    const run = await findChildAgainst({ contentType: 'text/html', body: fixture('html-error.html') });
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ kind: 'bad-response', status: 200, retryable: false });
  });

  it('turns a 401 into a non-retryable http-status error', async () => {
    // Act
    const run = await findChildAgainst({ status: 401, contentType: 'text/plain', body: 'Unauthorized' });
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ kind: 'http-status', status: 401, retryable: false });
  });

  it('turns a SOAP envelope with a JSON content type into a bad-response error', async () => {
    // Act
    const run = await findChildAgainst({ contentType: 'application/json', body: fixture('find-child.xml') });
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ kind: 'bad-response' });
  });

  it('turns truncated XML into a retryable bad-response error', async () => {
    // Act
    const run = await findChildAgainst({
      body: fixture('truncated.xml').replaceAll('RetrievePropertiesEx', 'FindChild'),
    });
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'bad-response', retryable: true });
  });

  it('turns a well-formed answer to another method into a bad-response error', async () => {
    // Act
    const run = await findChildAgainst({ body: fixture('logout.xml') });
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ kind: 'bad-response', retryable: false });
  });

  it('turns a connection reset into a retryable network error', async () => {
    // Act
    const run = await findChildAgainst('reset');
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('turns silence into a retryable timeout error', async () => {
    // Act
    const run = await findChildAgainst('hang', 200);
    vc = run.vc;

    // Assess
    expect(run.error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('reports an unreachable vCenter as a retryable network error', async () => {
    // Prepare
    const vim = createVimClient({ url: 'http://127.0.0.1:9/sdk', credentials: countingCredentials() });

    // Act
    const error = await vim.findChild(FOLDER, 'x').catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'network', retryable: true });
  });

  it('types synchronous faults with their fields and classification', async () => {
    // Prepare
    vc = await startFakeVcenter({
      PowerOffVM_Task: fault('fault-task-in-progress.xml'),
      Destroy_Task: fault('fault-managed-object-not-found.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const vm = { type: 'VirtualMachine', value: 'vm-123' } as const;

    // Act
    const busy = await vim.powerOff(vm).catch((e: unknown) => e);
    const gone = await vim.destroy(vm).catch((e: unknown) => e);

    // Assess
    expect(busy).toBeInstanceOf(VimFaultError);
    expect(busy).toMatchObject({
      faultType: 'TaskInProgress',
      retryable: true,
      fields: { task: { type: 'Task', value: 'task-4700' } },
    });
    expect(gone).toMatchObject({ faultType: 'ManagedObjectNotFound', classification: 'terminal', fields: { obj: vm } });
  });

  it('retries a read through one connection reset but never repeats InstantClone_Task', async () => {
    // Prepare
    vc = await startFakeVcenter({
      FindChild: (_req, n) => (n === 1 ? 'reset' : { body: fixture('find-child.xml') }),
      InstantClone_Task: 'reset',
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const found = await vim.findChild(FOLDER, 'web-ic-001');
    const error = await vim
      .instantClone({ type: 'VirtualMachine', value: 'vm-42' }, { name: 'x' })
      .catch((e: unknown) => e);

    // Assess
    expect(found?.value).toBe('vm-1001');
    expect(vc.calls('FindChild')).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(vc.calls('InstantClone_Task')).toHaveLength(1);
  });
});
