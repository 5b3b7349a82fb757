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

describe('Domain: the whole clone request', () => {
  it('accepts every field of the v1 request', () => {
    // Act
    const result = CloneRequestSchema.safeParse({
      source: { name: 'golden' },
      folder: '/DC0/vm/ci',
      pool: 'resgroup-9',
      datastore: '/DC0/datastore/LocalDS_0',
      nics: [{ label: 'Network adapter 1', mac: 'auto', network: 'VM Network', connected: false }],
      serialPorts: [{ key: 9000, file: '[LocalDS_0] ci-1/serial0.log' }],
      parallelPorts: [{ label: 'Parallel port 1', file: '[LocalDS_0] ci-1/lpt0.log' }],
      guestinfo: { 'ic.hostname': 'ci-1' },
      extraConfig: { 'tools.syncTime': 'TRUE' },
      biosUuid: '4217c6f2-8a0e-4b7f-9a3b-2c9d8e7f6a5b',
      labels: { team: 'ci', 'github/run': '42' },
      ttlMinutes: 60,
      callbackUrl: 'https://ci.example.com/hooks/instaclone',
      waitFor: 'ip',
    });
    // Assess
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data).toMatchObject({ count: 1, waitFor: 'ip' });
  });

  it.each([
    ['count 0', { count: 0 }, 'count'],
    ['count 101', { count: 101 }, 'count'],
    ['a name with count > 1', { count: 2, name: 'x' }, 'name'],
    ['a NIC with neither key nor label', { nics: [{ mac: 'auto' }] }, 'nics.0'],
    ['a NIC with key and label', { nics: [{ key: 1, label: 'x' }] }, 'nics.0'],
    ['a multicast MAC', { nics: [{ key: 4000, mac: '01:00:5e:00:00:01' }] }, 'nics.0.mac'],
    ['connected that is not a boolean', { nics: [{ key: 4000, connected: 'no' }] }, 'nics.0.connected'],
    [
      'a serial port file that is not a datastore path',
      { serialPorts: [{ key: 9000, file: '/tmp/x' }] },
      'serialPorts.0.file',
    ],
    ['a reserved extraConfig key', { extraConfig: { 'instaclone.jobId': 'x' } }, 'extraConfig'],
    ['a biosUuid that is not a UUID', { biosUuid: 'abc' }, 'biosUuid'],
    ['ttlMinutes 0', { ttlMinutes: 0 }, 'ttlMinutes'],
    ['a callbackUrl that is not http(s)', { callbackUrl: 'ftp://x.example.com/' }, 'callbackUrl'],
    ['an unknown waitFor', { waitFor: 'ssh' }, 'waitFor'],
    ['a label key with spaces', { labels: { 'a b': 'x' } }, 'labels.a b'],
    ['a placement that is neither path nor moref', { folder: 'no such folder!' }, 'folder'],
    ['a source given three ways', { source: { path: '/a/b', moref: 'vm-1', name: 'x' } }, 'source'],
  ])('rejects %s and names the field', (_label, fields, field) => {
    // Act
    const issues = issuesOf({ source: { moref: 'vm-1' }, ...fields });
    // Assess
    expect(issues.map((i) => i.field)).toContain(field);
  });
});
