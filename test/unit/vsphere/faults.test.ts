import { describe, expect, it } from 'vitest';
import { classifyFault, VimFaultError } from '#shared/vsphere/index';

describe('vSphere fault classification', () => {
  it.each([
    ['NotAuthenticated', 'retryable'],
    ['TaskInProgress', 'retryable'],
    ['ResourceInUse', 'retryable'],
    ['HostCommunication', 'retryable'],
    ['RequestCanceled', 'retryable'],
    ['DuplicateName', 'reconcile'],
    ['FileAlreadyExists', 'reconcile'],
    ['InvalidPowerState', 'terminal'],
    ['InvalidState', 'terminal'],
    ['InvalidArgument', 'terminal'],
    ['InvalidDeviceSpec', 'terminal'],
    ['ManagedObjectNotFound', 'terminal'],
    ['InvalidLogin', 'terminal'],
    ['NoPermission', 'terminal'],
    ['InsufficientResourcesFault', 'terminal'],
    ['SystemError', 'terminal'],
    ['SomethingNew', 'terminal'],
  ] as const)('classifies %s as %s', (faultType, expected) => {
    // Act
    const classification = classifyFault(faultType);

    // Assess
    expect(classification).toBe(expected);
  });

  it('derives retryable from the classification and keeps the fields', () => {
    // Act
    const error = new VimFaultError('DuplicateName', "The name 'x' already exists.", { name: 'x' });

    // Assess
    expect(error).toMatchObject({
      code: 'VIM_FAULT',
      classification: 'reconcile',
      retryable: false,
      fields: { name: 'x' },
    });
    expect(error.message).toBe("The name 'x' already exists.");
  });
});
