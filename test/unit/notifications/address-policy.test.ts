import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '#shared/notifications/adapters/address-policy';

describe('Address policy (SSRF)', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not-an-ip', false],
  ])('%s is public: %s', (address, expected) => {
    // Act + Assess
    expect(isPublicAddress(address)).toBe(expected);
  });
});
