import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVimClient } from '#shared/vsphere/index';
import { countingCredentials, type FakeVcenter, startFakeVcenter } from './fake-vcenter.js';

const FOLDER = { type: 'Folder', value: 'group-v4' } as const;

async function selfSignedCa() {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

describe('vim25 client: TLS', () => {
  let vc: FakeVcenter;
  let ca: string;
  beforeAll(async () => {
    const pems = await selfSignedCa();
    ca = pems.cert;
    vc = await startFakeVcenter({}, pems);
  });
  afterAll(async () => {
    await vc.close();
  });

  it('trusts a vCenter whose certificate is signed by the configured CA', async () => {
    // Prepare
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials(), ca });

    // Act
    const found = await vim.findChild(FOLDER, 'web-ic-001');

    // Assess
    expect(found).toEqual({ type: 'VirtualMachine', value: 'vm-1001' });
    await vim.logout();
  });

  it('rejects the same vCenter without the CA with a terminal tls error', async () => {
    // Prepare
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });

    // Act
    const error = await vim.findChild(FOLDER, 'web-ic-001').catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'VIM_TRANSPORT', kind: 'tls', retryable: false });
    expect(process.env['NODE_TLS_REJECT_UNAUTHORIZED']).toBeUndefined();
  });

  it('accepts it with the explicit insecure option and logs a warning', async () => {
    // Prepare
    const warnings: string[] = [];
    const logger = { warn: (msg: string) => warnings.push(msg) };
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials(), insecure: true, logger });

    // Act
    const found = await vim.findChild(FOLDER, 'web-ic-001');

    // Assess
    expect(found?.value).toBe('vm-1001');
    expect(warnings).toEqual(['vCenter TLS certificate verification is disabled for this client']);
    expect(process.env['NODE_TLS_REJECT_UNAUTHORIZED']).toBeUndefined();
    await vim.logout();
  });
});
