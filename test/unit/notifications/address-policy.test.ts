import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '#shared/notifications/adapters/address-policy';

/**
 * Every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries (as of 2025; written from the
 * registries, with the RFC that defines each), plus the non-unicast ranges, each probed at its first and last
 * address. A callback goes to ordinary public unicast hosts only, so every one of them is refused.
 */
const IPV4_SPECIAL: Array<[block: string, first: string, last: string, rfc: string]> = [
  ['0.0.0.0/8 this network', '0.0.0.0', '0.255.255.255', 'RFC 791 §3.2'],
  ['0.0.0.0/32 this host on this network', '0.0.0.0', '0.0.0.0', 'RFC 1122 §3.2.1.3'],
  ['10.0.0.0/8 private-use', '10.0.0.0', '10.255.255.255', 'RFC 1918'],
  ['100.64.0.0/10 shared address space', '100.64.0.0', '100.127.255.255', 'RFC 6598'],
  ['127.0.0.0/8 loopback', '127.0.0.0', '127.255.255.255', 'RFC 1122 §3.2.1.3'],
  ['169.254.0.0/16 link local', '169.254.0.0', '169.254.255.255', 'RFC 3927'],
  ['169.254.169.254 cloud metadata (in link local)', '169.254.169.254', '169.254.169.254', 'RFC 3927'],
  ['172.16.0.0/12 private-use', '172.16.0.0', '172.31.255.255', 'RFC 1918'],
  ['192.0.0.0/24 IETF protocol assignments', '192.0.0.0', '192.0.0.255', 'RFC 6890 §2.1'],
  ['192.0.0.0/29 IPv4 service continuity prefix', '192.0.0.0', '192.0.0.7', 'RFC 7335'],
  ['192.0.0.8/32 IPv4 dummy address', '192.0.0.8', '192.0.0.8', 'RFC 7600'],
  ['192.0.0.9/32 port control protocol anycast', '192.0.0.9', '192.0.0.9', 'RFC 7723'],
  ['192.0.0.10/32 TURN anycast', '192.0.0.10', '192.0.0.10', 'RFC 8155'],
  ['192.0.0.170/32 NAT64/DNS64 discovery', '192.0.0.170', '192.0.0.170', 'RFC 8880, RFC 7050 §2.2'],
  ['192.0.0.171/32 NAT64/DNS64 discovery', '192.0.0.171', '192.0.0.171', 'RFC 8880, RFC 7050 §2.2'],
  ['192.0.2.0/24 documentation (TEST-NET-1)', '192.0.2.0', '192.0.2.255', 'RFC 5737'],
  ['192.31.196.0/24 AS112-v4', '192.31.196.0', '192.31.196.255', 'RFC 7535'],
  ['192.52.193.0/24 AMT', '192.52.193.0', '192.52.193.255', 'RFC 7450'],
  ['192.88.99.0/24 deprecated 6to4 relay anycast', '192.88.99.0', '192.88.99.255', 'RFC 7526'],
  ['192.88.99.2/32 6a44-relay anycast', '192.88.99.2', '192.88.99.2', 'RFC 6751'],
  ['192.168.0.0/16 private-use', '192.168.0.0', '192.168.255.255', 'RFC 1918'],
  ['192.175.48.0/24 direct delegation AS112 service', '192.175.48.0', '192.175.48.255', 'RFC 7534'],
  ['198.18.0.0/15 benchmarking', '198.18.0.0', '198.19.255.255', 'RFC 2544'],
  ['198.51.100.0/24 documentation (TEST-NET-2)', '198.51.100.0', '198.51.100.255', 'RFC 5737'],
  ['203.0.113.0/24 documentation (TEST-NET-3)', '203.0.113.0', '203.0.113.255', 'RFC 5737'],
  ['240.0.0.0/4 reserved', '240.0.0.0', '255.255.255.254', 'RFC 1112 §4'],
  ['255.255.255.255/32 limited broadcast', '255.255.255.255', '255.255.255.255', 'RFC 8190, RFC 919 §7'],
  ['224.0.0.0/4 multicast (not unicast)', '224.0.0.0', '239.255.255.255', 'RFC 5771'],
];

const IPV6_SPECIAL: Array<[block: string, first: string, last: string, rfc: string]> = [
  ['::1/128 loopback', '::1', '::1', 'RFC 4291'],
  ['::/128 unspecified', '::', '::', 'RFC 4291'],
  ['::ffff:0:0/96 IPv4-mapped (private inside)', '::ffff:10.0.0.1', '::ffff:7f00:1', 'RFC 4291'],
  ['::/96 IPv4-compatible, deprecated (private inside)', '::a00:1', '::192.168.1.1', 'RFC 4291 §2.5.5.1'],
  ['::ffff:0:0:0/96 IPv4-translated (private inside)', '::ffff:0:10.0.0.1', '::ffff:0:a9fe:a9fe', 'RFC 2765'],
  ['64:ff9b::/96 IPv4-IPv6 translation (private inside)', '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe', 'RFC 6052'],
  ['64:ff9b:1::/48 local-use IPv4-IPv6 translation', '64:ff9b:1::', '64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'RFC 8215'],
  ['64:ff9b:1::/48 with a public IPv4 inside', '64:ff9b:1::5db8:d822', '64:ff9b:1:5db8:d822::', 'RFC 8215'],
  ['100::/64 discard-only', '100::', '100::ffff:ffff:ffff:ffff', 'RFC 6666'],
  ['100:0:0:1::/64 dummy IPv6 prefix', '100:0:0:1::', '100::1:ffff:ffff:ffff:ffff', 'RFC 9780'],
  ['2001::/23 IETF protocol assignments', '2001:100::', '2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 2928'],
  [
    '2001::/32 Teredo (private client inside)',
    '2001:0:5db8:d822::f5ff:fffe',
    '2001::ffff:f5ff:fffe',
    'RFC 4380, RFC 8190',
  ],
  ['2001::/32 Teredo (private server inside)', '2001:0:a00:1::a24b:2bdd', '2001:0:c0a8:101::a24b:2bdd', 'RFC 4380'],
  ['2001:1::1/128 port control protocol anycast', '2001:1::1', '2001:1::1', 'RFC 7723'],
  ['2001:1::2/128 TURN anycast', '2001:1::2', '2001:1::2', 'RFC 8155'],
  ['2001:1::3/128 DNS-SD service registration protocol anycast', '2001:1::3', '2001:1::3', 'RFC 9665'],
  ['2001:2::/48 benchmarking', '2001:2::', '2001:2:0:ffff:ffff:ffff:ffff:ffff', 'RFC 5180, RFC 9542'],
  ['2001:3::/32 AMT', '2001:3::', '2001:3:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 7450'],
  ['2001:4:112::/48 AS112-v6', '2001:4:112::', '2001:4:112:ffff:ffff:ffff:ffff:ffff', 'RFC 7535'],
  ['2001:10::/28 deprecated (previously ORCHID)', '2001:10::', '2001:1f:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 4843'],
  ['2001:20::/28 ORCHIDv2', '2001:20::', '2001:2f:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 7343'],
  [
    '2001:30::/28 drone remote ID protocol entity tags',
    '2001:30::',
    '2001:3f:ffff:ffff:ffff:ffff:ffff:ffff',
    'RFC 9374',
  ],
  ['2001:db8::/32 documentation', '2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 3849'],
  ['2002::/16 6to4 (private inside)', '2002:a00:1::1', '2002:c0a8:101:ffff:ffff:ffff:ffff:ffff', 'RFC 3056'],
  ['2002::/16 6to4 (metadata address inside)', '2002:a9fe:a9fe::', '2002:7f00:1::1', 'RFC 3056'],
  [
    '2620:4f:8000::/48 direct delegation AS112 service',
    '2620:4f:8000::',
    '2620:4f:8000:ffff:ffff:ffff:ffff:ffff',
    'RFC 7534',
  ],
  ['3fff::/20 documentation', '3fff::', '3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 9637'],
  ['5f00::/16 segment routing (SRv6) SIDs', '5f00::', '5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 9602'],
  ['fc00::/7 unique-local', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 4193, RFC 8190'],
  ['fe80::/10 link-local unicast', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 4291'],
  ['fe80::1%eth0 link-local with a zone', 'fe80::1%eth0', 'fe80::1%25', 'RFC 4007'],
  [
    'fec0::/10 site-local, deprecated (not unicast today)',
    'fec0::',
    'feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'RFC 3879',
  ],
  ['ff00::/8 multicast (not unicast)', 'ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'RFC 4291'],
  ['outside 2000::/3 (unassigned by IANA)', '4000::1', 'e000::1', 'RFC 4291 §2.4'],
];

/** Public addresses, bare and in every form that embeds them: these a callback may reach. */
const PUBLIC: Array<[form: string, address: string]> = [
  ['IPv4', '93.184.216.34'],
  ['IPv4 just outside 100.64.0.0/10', '100.128.0.0'],
  ['IPv4 just outside 172.16.0.0/12', '172.32.0.0'],
  ['IPv4 just outside 198.18.0.0/15', '198.20.0.0'],
  ['IPv6 global unicast', '2606:4700:4700::1111'],
  ['IPv4-mapped', '::ffff:93.184.216.34'],
  ['IPv4-mapped, hex (as URLs normalise it)', '::ffff:5db8:d822'],
  ['IPv4-compatible', '::5db8:d822'],
  ['NAT64 well-known prefix', '64:ff9b::93.184.216.34'],
  ['6to4', '2002:5db8:d822::1'],
  ['Teredo (public server and client)', '2001:0:5db8:d822::a24b:2bdd'],
];

describe('Address policy (SSRF): the IANA special-purpose registries', () => {
  it.each(IPV4_SPECIAL)('refuses IPv4 %s (%s … %s, %s)', (_block, first, last) => {
    // Act + Assess
    expect([isPublicAddress(first), isPublicAddress(last)]).toEqual([false, false]);
  });

  it.each(IPV6_SPECIAL)('refuses IPv6 %s (%s … %s, %s)', (_block, first, last) => {
    // Act + Assess
    expect([isPublicAddress(first), isPublicAddress(last)]).toEqual([false, false]);
  });

  it.each(PUBLIC)('lets a callback reach a public address, %s: %s', (_form, address) => {
    // Act + Assess
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(['not-an-ip', '', 'example.com', '1.2.3', '::g'])('treats %j as not public: not an IP literal', (text) => {
    // Act + Assess
    expect(isPublicAddress(text)).toBe(false);
  });
});
