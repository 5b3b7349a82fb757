import { describe, expect, it } from 'vitest';
import { JOB_STATE_LIMITS } from '#shared/clones/model/request-limits';
import { boundJobFields, boundText, STORED_TEXT_LIMITS, truncationMarker } from '#shared/clones/model/stored-text';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('Model: stored text is bounded', () => {
  it('cuts a 1 MiB fault message to its limit and says it was cut and how long it was', () => {
    // Prepare
    const fault = `Unable to clone: ${'x'.repeat(1024 * 1024)}`;
    // Act
    const { error } = boundJobFields({
      error: { code: 'VCENTER_FAULT', fault: 'SystemError', message: fault, retryable: false },
    });
    // Assess
    expect(Buffer.byteLength(error?.message ?? '')).toBe(STORED_TEXT_LIMITS.messageBytes);
    expect(error?.message.startsWith('Unable to clone: xxx')).toBe(true);
    expect(error?.message.endsWith(truncationMarker(fault.length))).toBe(true);
    expect(error?.message).toContain(`[truncated: ${fault.length} characters in all]`);
  });

  it('leaves text within its limit as it is', () => {
    // Act
    const text = boundText('InvalidPowerState', STORED_TEXT_LIMITS.nameBytes);
    // Assess
    expect(text).toBe('InvalidPowerState');
  });

  it('counts UTF-8 bytes and never cuts a character in two', () => {
    // Prepare
    const text = `${'€'.repeat(100)}${'🙂'.repeat(200)}`;
    // Act
    const bounded = boundText(text, 500);
    // Assess
    expect(Buffer.byteLength(bounded)).toBeLessThanOrEqual(500);
    expect(bounded).not.toContain('\uFFFD');
    expect(Buffer.from(bounded, 'utf8').toString('utf8')).toBe(bounded);
  });

  it('keeps every text a worker writes within the job state budget, whatever vCenter answers', () => {
    // Prepare: the widest characters in every field vCenter or an error can fill
    const huge = '€'.repeat(100_000);
    // Act
    const fields = boundJobFields({
      error: {
        code: huge,
        fault: huge,
        message: huge,
        retryable: false,
        cause: { code: huge, fault: huge, message: huge },
      },
      lastError: { code: huge, fault: huge, message: huge, at: '2026-11-25T12:00:00.000Z' },
      vm: {
        moref: huge,
        name: huge,
        nics: Array.from({ length: 100 }, (_, key) => ({ key, mac: huge, addressType: huge })),
        ipAddress: huge,
      },
      task: { moref: huge },
      sourceIp: huge,
    });
    // Assess
    const { error, lastError, ...other } = fields;
    expect(bytes({ error, lastError })).toBeLessThanOrEqual(JOB_STATE_LIMITS.errorMessageBytes);
    expect(bytes(other)).toBeLessThanOrEqual(JOB_STATE_LIMITS.otherStateBytes);
    expect(fields.vm?.nics).toHaveLength(STORED_TEXT_LIMITS.nics);
  });
});
