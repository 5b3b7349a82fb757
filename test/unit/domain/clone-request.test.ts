import { describe, expect, it } from 'vitest';
import { CloneRequestSchema, guestinfoExtraConfig } from '#shared/domain/clone-request';
import { toFieldIssues } from '#shared/domain/field-issues';

const issuesOf = (body: unknown) => {
  const result = CloneRequestSchema.safeParse(body);
  return result.success ? [] : toFieldIssues(result.error);
};

describe('Domain: clone request schema', () => {
  it('accepts the documented example and defaults the version', () => {
    // Act
    const request = CloneRequestSchema.parse({
      source: { path: '/DC0/vm/DC0_H0_VM0' },
      nics: [{ key: 4000, mac: '00:50:56:3A:12:34' }],
      guestinfo: { 'ci.job': '42' },
    });
    // Assess
    expect(request).toMatchObject({ version: '1', nics: [{ key: 4000, mac: '00:50:56:3a:12:34' }] });
  });

  it.each([
    ['a missing source', {}, 'source'],
    ['a source with both path and moref', { source: { path: '/a/b', moref: 'vm-1' } }, 'source'],
    ['a relative path', { source: { path: 'DC0/vm/x' } }, 'source.path'],
    ['a NIC key of the wrong type', { source: { moref: 'vm-1' }, nics: [{ key: '4000' }] }, 'nics.0.key'],
    [
      'a MAC outside the manual range',
      { source: { moref: 'vm-1' }, nics: [{ key: 4000, mac: '00:50:56:80:00:01' }] },
      'nics.0.mac',
    ],
    ['a malformed MAC', { source: { moref: 'vm-1' }, nics: [{ key: 4000, mac: 'zz' }] }, 'nics.0.mac'],
    ['a name of 80 characters', { source: { moref: 'vm-1' }, name: 'x'.repeat(80) }, 'name'],
    ['a name with a slash', { source: { moref: 'vm-1' }, name: 'a/b' }, 'name'],
    ['guestinfo that is not an object', { source: { moref: 'vm-1' }, guestinfo: 'x' }, 'guestinfo'],
    ['an unknown field', { source: { moref: 'vm-1' }, colour: 'red' }, 'body'],
    ['a duplicate NIC key', { source: { moref: 'vm-1' }, nics: [{ key: 1 }, { key: 1 }] }, 'nics'],
  ])('rejects %s and names the field', (_label, body, field) => {
    // Act
    const issues = issuesOf(body);
    // Assess
    expect(issues.map((i) => i.field)).toContain(field);
  });

  it('prefixes guestinfo keys that lack it and keeps those that have it', () => {
    // Act
    const extra = guestinfoExtraConfig({ 'ci.job': '1', 'guestinfo.ip': '10.0.0.1' });
    // Assess
    expect(extra).toEqual({ 'guestinfo.ci.job': '1', 'guestinfo.ip': '10.0.0.1' });
  });
});
