import { describe, expect, it } from 'vitest';
import { boundJobFields, boundText, STORED_TEXT_LIMITS, truncationMarker } from '#shared/clones/model/stored-text';

describe('Model: stored text is bounded', () => {
  it('cuts a 1 MiB fault message to its limit and says it was cut and how long it was', () => {
    // Prepare
    const fault = `Unable to clone: ${'x'.repeat(1024 * 1024)}`;
    // Act
    const { error } = boundJobFields({
      error: { code: 'VCENTER_FAULT', fault: 'SystemError', message: fault, retryable: false },
    });
    // Assess
    expect(error?.message).toHaveLength(STORED_TEXT_LIMITS.message);
    expect(error?.message.startsWith('Unable to clone: xxx')).toBe(true);
    expect(error?.message.endsWith(truncationMarker(fault.length))).toBe(true);
    expect(error?.message).toContain(`[truncated: ${fault.length} characters in all]`);
  });

  it('leaves text within its limit as it is', () => {
    // Act
    const text = boundText('InvalidPowerState', STORED_TEXT_LIMITS.name);
    // Assess
    expect(text).toBe('InvalidPowerState');
  });

  it('never splits a character made of two UTF-16 units', () => {
    // Prepare
    const emoji = '🙂'.repeat(200);
    // Act
    const text = boundText(emoji, 101);
    // Assess
    expect(text.length).toBeLessThanOrEqual(101);
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });

  it('bounds every text a worker writes: fault types, causes, VM names, NIC lists and task morefs', () => {
    // Prepare
    const long = 'y'.repeat(10_000);
    // Act
    const fields = boundJobFields({
      error: { code: long, fault: long, message: 'm', retryable: false, cause: { code: 'c', message: long } },
      lastError: { code: 'c', message: long, at: '2026-11-25T12:00:00.000Z' },
      vm: {
        moref: long,
        name: long,
        nics: Array.from({ length: 100 }, (_, key) => ({ key, mac: long, addressType: long })),
      },
      task: { moref: long },
      sourceIp: long,
    });
    // Assess
    const size = JSON.stringify(fields).length;
    expect(size).toBeLessThan(30_000);
    expect(fields.vm?.nics).toHaveLength(STORED_TEXT_LIMITS.nics);
    expect(fields.error?.fault).toHaveLength(STORED_TEXT_LIMITS.name);
  });
});
