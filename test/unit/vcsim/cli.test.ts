import { describe, expect, it } from 'vitest';
import { parseCli } from '#local/vcsim/cli-options';

describe('vcsim CLI options', () => {
  it('maps flags onto VcSimOptions, loopback 127.0.0.1:8989 by default', () => {
    // Act
    const defaults = parseCli([]);
    const given = parseCli([
      '--listen',
      '127.0.0.1:0',
      '--tls',
      '--username',
      'u',
      '--password',
      'p',
      '--task-duration-ms',
      '5',
      '--vms',
      '10000',
      '--collector-quirks',
      '--state-file',
      '/tmp/world.json',
    ]);
    // Assess
    expect(defaults).toMatchObject({ host: '127.0.0.1', port: 8989, tls: false, collectorQuirks: false });
    expect(given).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      tls: true,
      username: 'u',
      password: 'p',
      taskDurationMs: 5,
      collectorQuirks: true,
      stateFile: '/tmp/world.json',
      inventory: { vms: 10_000 },
    });
  });

  it('takes a password that starts with "-" in --password=… form (chaos runs generate such passwords)', () => {
    // Act
    const given = parseCli(['--password=-Xy_9']);
    // Assess
    expect(given).toMatchObject({ password: '-Xy_9' });
  });

  it('answers help for -h and rejects bad numbers, bad listen addresses and unknown flags', () => {
    // Assess
    expect(parseCli(['-h'])).toBe('help');
    expect(() => parseCli(['--vms', 'many'])).toThrow(/--vms/);
    expect(() => parseCli(['--listen', 'nowhere'])).toThrow(/--listen/);
    expect(() => parseCli(['--frobnicate'])).toThrow();
  });
});
