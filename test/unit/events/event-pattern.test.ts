import { describe, expect, it } from 'vitest';
import { type EventPattern, InvalidEventPatternError, matchesEventPattern } from '#shared/events/event-pattern';

/** The EC2 state-change example event from the EventBridge docs, lightly extended. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'arn:aws:ec2:us-west-1:1:instance/x'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'running',
    'c-count': 5,
    'd-count': 7,
    'x-limit': 301.8,
    sourceIPAddress: '10.0.0.255',
    FileName: 'image.png',
    FilePath: '/usr/lib/libc.so',
    responseElements: null,
    eventName: '',
    tags: ['blue', 'prod'],
    nested: { deep: { flag: true } },
  },
};

type Case = [name: string, pattern: EventPattern, expected: boolean];

const cases: Case[] = [
  ['exact string value', { source: ['aws.ec2'] }, true],
  ['exact value list is any-of', { source: ['aws.s3', 'aws.ec2'] }, true],
  ['exact value mismatch', { source: ['aws.s3'] }, false],
  ['nested object fields', { detail: { state: ['running'], nested: { deep: { flag: [true] } } } }, true],
  ['all fields must match', { source: ['aws.ec2'], detail: { state: ['stopped'] } }, false],
  ['exact number compares numerically', { detail: { 'x-limit': [301.8] } }, true],
  ['a string literal never equals a number', { detail: { 'c-count': ['5'] } }, false],
  ['null literal matches a null value', { detail: { responseElements: [null] } }, true],
  ['empty string literal matches an empty value', { detail: { eventName: [''] } }, true],
  ['event array matches when any element matches', { detail: { tags: ['prod'] } }, true],
  ['event array fails when no element matches', { detail: { tags: ['dev'] } }, false],
  ['resources array with one matching ARN', { resources: ['arn:aws:ec2:us-west-1:1:instance/x'] }, true],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix mismatch', { time: [{ prefix: '2018' }] }, false],
  ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
  ['suffix', { detail: { FileName: [{ suffix: '.png' }] } }, true],
  ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, true],
  ['suffix on a number never matches', { detail: { 'c-count': [{ suffix: '5' }] } }, false],
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, true],
  ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but the actual value', { detail: { state: [{ 'anything-but': 'running' }] } }, false],
  ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
  ['anything-but a list containing the value', { detail: { state: [{ 'anything-but': ['running', 'x'] }] } }, false],
  ['anything-but a number', { detail: { 'c-count': [{ 'anything-but': 123 }] } }, true],
  ['anything-but the actual number', { detail: { 'c-count': [{ 'anything-but': [5] }] } }, false],
  ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
  ['anything-but the actual prefix', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, false],
  ['anything-but a suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
  ['anything-but the actual suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, false],
  [
    'anything-but ignoring case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'RUNNING'] } }] } },
    false,
  ],
  ['anything-but a wildcard', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, false],
  ['anything-but needs the field present', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric upper bound', { detail: { 'd-count': [{ numeric: ['<', 7] }] } }, false],
  ['numeric equality', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
  ['numeric on a string never matches', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['cidr IPv4', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr IPv4 outside the block', { detail: { sourceIPAddress: [{ cidr: '10.0.1.0/24' }] } }, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists true on a missing field', { detail: { missing: [{ exists: true }] } }, false],
  ['exists false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists false when the parent object is missing', { absent: { x: [{ exists: false }] } }, true],
  ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:us-west-1:*:instance/*' }] }, true],
  ['wildcard is anchored', { source: [{ wildcard: 'ec2*' }] }, false],
  ['escaped wildcard star is literal', { source: [{ wildcard: 'aws\\*' }] }, false],
  ['leaf operators combine as any-of', { detail: { state: [{ prefix: 'x' }, 'running'] } }, true],
  [
    '$or matches when one alternative matches',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
    true,
  ],
  [
    '$or fails when no alternative matches',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { state: ['stopped'] }] } },
    false,
  ],
  [
    '$or at the top level',
    { $or: [{ source: ['aws.s3'] }, { 'detail-type': ['EC2 Instance State-change Notification'] }] },
    true,
  ],
];

describe('matchesEventPattern', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    // Act
    const matched = matchesEventPattern(pattern, ec2Event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('matches an IPv6 address inside an IPv6 cidr block', () => {
    // Prepare
    const pattern: EventPattern = { ip: [{ cidr: '2001:db8::/64' }] };

    // Act
    const inside = matchesEventPattern(pattern, { ip: '2001:db8::1' });
    const outside = matchesEventPattern(pattern, { ip: '2001:db9::1' });

    // Assess
    expect([inside, outside]).toEqual([true, false]);
  });

  it('matches a nested pattern against any element of an array of objects', () => {
    // Prepare
    const pattern: EventPattern = { detail: { nics: { mac: [{ prefix: '00:50:56' }] } } };

    // Act
    const matched = matchesEventPattern(pattern, { detail: { nics: [{ mac: 'aa' }, { mac: '00:50:56:01:02:03' }] } });

    // Assess
    expect(matched).toBe(true);
  });

  it('rejects an unknown operator instead of silently never matching', () => {
    // Prepare
    const pattern = { source: [{ 'starts-with': 'aws' }] } as unknown as EventPattern;

    // Act
    const act = () => matchesEventPattern(pattern, ec2Event);

    // Assess
    expect(act).toThrow(InvalidEventPatternError);
  });
});
