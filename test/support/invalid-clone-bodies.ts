/**
 * Bodies of `POST /v1/clones` that must each be refused with a 400 naming `field`. Shared by the schema's unit
 * tests and the API's integration tests, so both layers are held to the same list.
 */
const base = { source: { moref: 'vm-1' } };

export const INVALID_CLONE_BODIES: Array<[label: string, body: unknown, field: string]> = [
  ['a missing source', {}, 'source'],
  ['a source with both path and moref', { source: { path: '/a/b', moref: 'vm-1' } }, 'source'],
  ['a relative path', { source: { path: 'DC0/vm/x' } }, 'source.path'],
  ['a NIC key of the wrong type', { ...base, nics: [{ key: '4000' }] }, 'nics.0.key'],
  ['a MAC outside the manual range', { ...base, nics: [{ key: 4000, mac: '00:50:56:80:00:01' }] }, 'nics.0.mac'],
  ['a malformed MAC', { ...base, nics: [{ key: 4000, mac: 'zz' }] }, 'nics.0.mac'],
  ['a managed range name that cannot be one', { ...base, nics: [{ key: 4000, mac: 'range:CI lab' }] }, 'nics.0.mac'],
  [
    'one manual MAC for count > 1 clones',
    { ...base, count: 2, nics: [{ key: 4000, mac: '00:50:56:3a:12:34' }] },
    'nics.0.mac',
  ],
  [
    'one manual MAC on two NICs',
    {
      ...base,
      nics: [
        { key: 4000, mac: '00:50:56:3a:12:34' },
        { key: 4001, mac: '00:50:56:3A:12:34' },
      ],
    },
    'nics.1.mac',
  ],
  ['a multicast MAC', { ...base, nics: [{ key: 4000, mac: '01:00:5e:00:00:01' }] }, 'nics.0.mac'],
  ['a name of 80 characters', { ...base, name: 'x'.repeat(80) }, 'name'],
  ['a name with a slash', { ...base, name: 'a/b' }, 'name'],
  ['guestinfo that is not an object', { ...base, guestinfo: 'x' }, 'guestinfo'],
  ['a guestinfo value that is not a string', { ...base, guestinfo: { a: 1 } }, 'guestinfo.a'],
  ['an unknown field', { ...base, colour: 'red' }, 'body'],
  ['a duplicate NIC key', { ...base, nics: [{ key: 1 }, { key: 1 }] }, 'nics'],
  ['count 0', { ...base, count: 0 }, 'count'],
  ['count 101', { ...base, count: 101 }, 'count'],
  ['a name with count > 1', { ...base, count: 2, name: 'x' }, 'name'],
  ['a NIC with neither key nor label', { ...base, nics: [{ mac: 'auto' }] }, 'nics.0'],
  ['a NIC with key and label', { ...base, nics: [{ key: 1, label: 'x' }] }, 'nics.0'],
  ['connected that is not a boolean', { ...base, nics: [{ key: 4000, connected: 'no' }] }, 'nics.0.connected'],
  [
    'a serial port file that is not a datastore path',
    { ...base, serialPorts: [{ key: 9000, file: '/tmp/x' }] },
    'serialPorts.0.file',
  ],
  ['a reserved extraConfig key', { ...base, extraConfig: { 'instaclone.jobId': 'x' } }, 'extraConfig'],
  ['a biosUuid that is not a UUID', { ...base, biosUuid: 'abc' }, 'biosUuid'],
  ['a biosUuid without dashes', { ...base, biosUuid: '4217c6f28a0e2b7f1a3b2c9d8e7f6a5b' }, 'biosUuid'],
  ['a biosUuid of 31 hex digits', { ...base, biosUuid: '4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5' }, 'biosUuid'],
  ['ttlMinutes 0', { ...base, ttlMinutes: 0 }, 'ttlMinutes'],
  ['a callbackUrl that is not http(s)', { ...base, callbackUrl: 'ftp://x.example.com/' }, 'callbackUrl'],
  ['an unknown waitFor', { ...base, waitFor: 'ssh' }, 'waitFor'],
  ['a label key with spaces', { ...base, labels: { 'a b': 'x' } }, 'labels.a b'],
  ['a placement that is neither path nor moref', { ...base, folder: 'no such folder!' }, 'folder'],
  ['a source given three ways', { source: { path: '/a/b', moref: 'vm-1', name: 'x' } }, 'source'],
  ['a source by name without a folder', { source: { name: 'golden' } }, 'folder'],
  ['a body that is an array', [base], 'body'],
  ['a reserved label key', { ...base, labels: { 'instaclone.pool': 'x' } }, 'labels'],
];
