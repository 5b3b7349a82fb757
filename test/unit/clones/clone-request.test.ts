import { describe, expect, it } from 'vitest';
import { CallerCloneRequestSchema, CloneRequestSchema, guestinfoExtraConfig } from '#shared/clones/model/clone-request';
import { toFieldIssues } from '#shared/errors/field-issues';
import { INVALID_CLONE_BODIES } from '#test/support/invalid-clone-bodies';

const issuesOf = (body: unknown) => {
  const result = CallerCloneRequestSchema.safeParse(body);
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

  it.each(INVALID_CLONE_BODIES)('rejects %s and names the field', (_label, body, field) => {
    // Act
    const issues = issuesOf(body);
    // Assess
    expect(issues.map((i) => i.field)).toContain(field);
  });

  it.each([
    ['VMware-generated, without RFC 4122 variant bits', '4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b'],
    ['upper case', '4217C6F2-8A0E-2B7F-1A3B-2C9D8E7F6A5B'],
    ['all zeros', '00000000-0000-0000-0000-000000000000'],
  ])('accepts a biosUuid that is %s and lower-cases it as vCenter reports it', (_label, biosUuid) => {
    // Act
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-1' }, biosUuid });
    // Assess
    expect(request.biosUuid).toBe(biosUuid.toLowerCase());
  });

  it('accepts a managed range for every clone of a count, and keeps its name as given', () => {
    // Act
    const request = CloneRequestSchema.parse({
      source: { moref: 'vm-1' },
      count: 3,
      nics: [{ key: 4000, mac: 'range:ci-lab' }],
    });
    // Assess
    expect(request.nics).toEqual([{ key: 4000, mac: 'range:ci-lab' }]);
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
});
