import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, VimFaultError } from '#shared/vsphere/index';
import { countingCredentials, type FakeVcenter, fault, ok, startFakeVcenter } from './fake-vcenter.js';

const VM = { type: 'VirtualMachine', value: 'vm-1001' } as const;

describe('vim25 client: session', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('logs in once for concurrent first calls', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const credentials = countingCredentials();
    const vim = createVimClient({ url: vc.url, credentials });

    // Act
    await Promise.all([vim.getVm(VM), vim.getVm(VM), vim.findByInventoryPath('/DC0/vm/x')]);

    // Assess
    expect(vc.calls('RetrieveServiceContent')).toHaveLength(1);
    expect(vc.calls('Login')).toHaveLength(1);
    expect(credentials.calls).toBe(1);
  });

  it('logs in again once and retries when the session expired', async () => {
    // Prepare
    vc = await startFakeVcenter({
      FindChild: (_req, n) => (n === 1 ? fault('fault-not-authenticated.xml') : ok('find-child.xml')),
    });
    const credentials = countingCredentials();
    const vim = createVimClient({ url: vc.url, credentials });

    // Act
    const found = await vim.findChild({ type: 'Folder', value: 'group-v4' }, 'web-ic-001');

    // Assess
    expect(found).toEqual({ type: 'VirtualMachine', value: 'vm-1001' });
    expect(vc.calls('Login')).toHaveLength(2);
    expect(credentials.calls).toBe(2);
    expect(vc.calls('RetrieveServiceContent')).toHaveLength(1);
  });

  it('gives up with a retryable NotAuthenticated fault when the re-login does not help', async () => {
    // Prepare
    vc = await startFakeVcenter({ FindChild: fault('fault-not-authenticated.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const error = await vim.findChild({ type: 'Folder', value: 'group-v4' }, 'x').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(VimFaultError);
    expect(error).toMatchObject({ code: 'VIM_FAULT', faultType: 'NotAuthenticated', retryable: true });
    expect(vc.calls('Login')).toHaveLength(2);
    expect(vc.calls('FindChild')).toHaveLength(2);
  });

  it('treats a RetrievePropertiesEx answer with NotAuthenticated in missingSet as an expired session', async () => {
    // Prepare
    vc = await startFakeVcenter({
      RetrievePropertiesEx: (_req, n) =>
        n === 1 ? ok('retrieve-properties-not-authenticated.xml') : ok('retrieve-properties-vm.xml'),
    });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const facts = await vim.getVm(VM);

    // Assess
    expect(facts.name).toBe('web-ic-001');
    expect(vc.calls('Login')).toHaveLength(2);
  });

  it('reports wrong credentials as a terminal InvalidLogin fault', async () => {
    // Prepare
    vc = await startFakeVcenter({ Login: fault('fault-invalid-login.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const error = await vim.getVm(VM).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      faultType: 'InvalidLogin',
      classification: 'terminal',
      retryable: false,
      message: 'Cannot complete login due to an incorrect user name or password.',
    });
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(0);
  });

  it('logs out, forgets the cookie, and logs in again on the next call', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    await vim.getVm(VM);

    // Act
    await vim.logout();
    await vim.getVm(VM);

    // Assess
    expect(vc.requests.map((r) => r.method)).toEqual([
      'RetrieveServiceContent',
      'Login',
      'RetrievePropertiesEx',
      'Logout',
      'Login',
      'RetrievePropertiesEx',
    ]);
    expect(vc.calls('Login')[1]?.cookie).toBeUndefined();
  });
});
