import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, type MoRef } from '#shared/vsphere/index';
import { CASES, caseRoutes } from './client-requests.js';
import { countingCredentials, type FakeVcenter, startFakeVcenter } from './fake-vcenter.js';

/** Request bodies pyVmomi 6.7 sent for the same calls (see test/fixtures/soap/pyvmomi-requests/README.md). */
const pyvmomi = (name: string) =>
  readFileSync(new URL(`../../fixtures/soap/pyvmomi-requests/${name}.xml`, import.meta.url), 'utf8');

const VM_42: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: 'vm-42' };
const soon = () => Date.now() + 50_000;

describe('vim25 client: requests byte for byte as pyVmomi sends them', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it.each(CASES)('$fixture', async ({ fixture: name, method, act, routes }) => {
    // Prepare
    vc = await startFakeVcenter({ ...caseRoutes(), ...routes?.() });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    await act(vim);

    // Assess
    expect(vc.calls(method).at(-1)?.body).toBe(pyvmomi(name));
  });

  it('wait-for-updates-first', async () => {
    // Prepare
    vc = await startFakeVcenter(caseRoutes());
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    await vim.waitForTask(await vim.instantClone(VM_42, { name: 'ic-1' }), { deadline: soon() });

    // Assess
    expect(vc.calls('WaitForUpdatesEx')[0]?.body).toBe(pyvmomi('wait-for-updates-first'));
  });
});
