import { describe, expect, it } from 'vitest';
import { FaultInjector, isFaultRule } from '#local/vcsim/fault-injection';

describe('vcsim fault injection rules', () => {
  it('matches by method and object, wildcards included, and honours count', () => {
    // Prepare
    const injector = new FaultInjector();
    injector.add({ method: 'InstantClone_Task', object: 'vm-1', effect: 'fault', count: 2 });
    // Act
    const fired = [
      injector.take('InstantClone_Task', 'vm-2'),
      injector.take('PowerOffVM_Task', 'vm-1'),
      injector.take('InstantClone_Task', 'vm-1'),
      injector.take('InstantClone_Task', 'vm-1'),
      injector.take('InstantClone_Task', 'vm-1'),
    ].map((rule) => rule !== undefined);
    // Assess
    expect(fired).toEqual([false, false, true, true, false]);
  });

  it('fires by probability using the injected random source', () => {
    // Prepare
    const rolls = [0.1, 0.9];
    const injector = new FaultInjector(() => rolls.shift() ?? 1);
    injector.add({ effect: 'http503', probability: 0.5 });
    // Act
    const results = [injector.take('X', undefined), injector.take('X', undefined)];
    // Assess
    expect(results.map((r) => r?.effect)).toEqual(['http503', undefined]);
  });

  it('rejects malformed rules from untrusted input', () => {
    // Assess
    expect(isFaultRule({ effect: 'fault', fault: 'FileFault', count: 1 })).toBe(true);
    expect(isFaultRule({ effect: 'boom' })).toBe(false);
    expect(isFaultRule({ effect: 'fault', fault: 'NoSuchFault' })).toBe(false);
    expect(isFaultRule({ effect: 'fault', count: '1' })).toBe(false);
    expect(() => new FaultInjector().add({ effect: 'nope' } as never)).toThrow(TypeError);
  });
});
