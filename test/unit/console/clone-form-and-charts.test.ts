import { describe, expect, it } from 'vitest';
import { axisTop, linePath, niceCeiling } from '#shared/console/view/chart-geometry';
import { EMPTY_CLONE_FORM, fieldErrorsFrom, parseSource, toCloneRequest } from '#shared/console/view/clone-form';
import { summarizeStatus } from '#shared/console/view/service-status';

describe('Console view: the clone form', () => {
  it('tells an inventory path, a moref and a name apart', () => {
    // Act, Assess
    expect(parseSource(' /DC0/vm/golden ')).toEqual({ path: '/DC0/vm/golden' });
    expect(parseSource('vm-42')).toEqual({ moref: 'vm-42' });
    expect(parseSource('golden')).toEqual({ name: 'golden' });
  });

  it('sends only what was filled in', () => {
    // Act
    const { body, errors } = toCloneRequest({
      ...EMPTY_CLONE_FORM,
      source: '/DC0/vm/golden',
      count: '3',
      labels: 'team=ci, env = dev\nowner=me',
      ttlMinutes: '30',
      waitFor: 'ip',
    });
    // Assess
    expect(errors).toEqual({});
    expect(body).toEqual({
      source: { path: '/DC0/vm/golden' },
      count: 3,
      labels: { team: 'ci', env: 'dev', owner: 'me' },
      ttlMinutes: 30,
      waitFor: 'ip',
    });
  });

  it('passes what is not a number on for the API to name, and refuses a label without "="', () => {
    // Act
    const { body, errors } = toCloneRequest({
      ...EMPTY_CLONE_FORM,
      source: 'vm-1',
      ttlMinutes: 'soon',
      labels: 'team',
    });
    // Assess
    expect(body.ttlMinutes).toBe('soon');
    expect(errors.labels?.[0]).toContain('key=value (not: team)');
  });

  it('puts each of the API’s field errors under its field, and the rest above the form', () => {
    // Act
    const errors = fieldErrorsFrom([
      { field: 'ttlMinutes', message: 'Too small: expected number to be >=1' },
      { field: 'source', message: 'give exactly one of "path", "moref" or "name"' },
      { field: 'labels.instaclone.pool', message: 'is reserved' },
      { field: 'body', message: 'unknown field(s): colour' },
    ]);
    // Assess
    expect(errors).toEqual({
      ttlMinutes: ['Too small: expected number to be >=1'],
      source: ['give exactly one of "path", "moref" or "name"'],
      labels: ['labels.instaclone.pool: is reserved'],
      form: ['unknown field(s): colour'],
    });
  });
});

describe('Console view: charts and the service status', () => {
  it('rounds the top of a scale up to 1, 2 or 5 times a power of ten', () => {
    // Act, Assess
    expect([0, 0.3, 3, 7, 12, 180, 2600].map(niceCeiling)).toEqual([1, 0.5, 5, 10, 20, 200, 5000]);
    expect(
      axisTop([
        { name: 'a', values: [3, undefined, 9] },
        { name: 'b', values: [14] },
      ]),
    ).toBe(20);
  });

  it('draws a line through present values and breaks it where a bucket has none', () => {
    // Act
    const path = linePath([0, 5, undefined, 10], 10, { width: 400, height: 100 });
    // Assess
    expect(path).toBe('M50.0 100.0 L150.0 50.0 M350.0 0.0');
  });

  it('reads the DLQ depth out of /v1/status, whatever its exact shape', () => {
    // Act
    const summary = summarizeStatus({
      version: '1',
      vcenter: { loggedIn: true },
      queues: { clone: { depth: 4 }, deadLetter: { depth: 2 } },
    });
    // Assess
    expect(summary.deadLetterDepth).toBe(2);
    expect(summary.facts).toContainEqual({ name: 'vcenter.loggedIn', value: 'true' });
    expect(summarizeStatus({ ok: true }).deadLetterDepth).toBeUndefined();
  });
});
