import { describe, expect, it } from 'vitest';
import { toDomainError } from '#shared/clones/adapters/vsphere-vm-cloner';
import { VimFaultError, VimTransportError } from '#shared/vsphere/index';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

describe('Adapter: vCenter failures name their fix', () => {
  it('fails an untrusted certificate at once and says to set VCENTER_CA_FILE', () => {
    // Act
    const err = toDomainError(
      new VimTransportError('tls', 'TLS verification failed: self-signed certificate in certificate chain', {
        retryable: false,
      }),
    );
    // Assess
    expect(err).toMatchObject({ code: 'VCENTER_UNAVAILABLE', retryable: false });
    expect((err as Error).message).toContain('set VCENTER_CA_FILE');
  });

  it('names the credentials when vCenter refuses the login', () => {
    // Act
    const err = toDomainError(
      new VimFaultError('InvalidLogin', 'Cannot complete login due to an incorrect user name or password.'),
    );
    // Assess
    expect(err).toMatchObject({ code: 'VCENTER_FAULT', faultType: 'InvalidLogin', retryable: false });
    expect((err as Error).message).toContain('check VCENTER_USERNAME and VCENTER_PASSWORD');
  });

  it('names VCENTER_URL and the network when the connection is refused, and keeps it retryable', () => {
    // Act
    const err = toDomainError(
      new VimTransportError('network', 'vCenter unreachable: connect ECONNREFUSED 127.0.0.1:9', {
        retryable: true,
        cause: refused,
      }),
    );
    // Assess
    expect(err).toMatchObject({ code: 'VCENTER_UNAVAILABLE', retryable: true });
    expect((err as Error).message).toBe(
      'vCenter unreachable: connect ECONNREFUSED 127.0.0.1:9 (check VCENTER_URL (vcenter.url on AWS) and the network path to vCenter)',
    );
  });

  it('adds nothing when no fix is known', () => {
    // Act
    const err = toDomainError(new VimFaultError('InvalidPowerState', 'The VM is powered off.'));
    // Assess
    expect((err as Error).message).toBe('The VM is powered off.');
  });
});
