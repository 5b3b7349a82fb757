import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges a callback may never reach unless explicitly allowed (SSRF): every block of the IANA IPv4
 * Special-Purpose Address Registry (private, loopback, link-local with the cloud metadata address, shared CGNAT,
 * "this network", IETF protocol assignments, documentation, benchmarking, AS112, AMT, the deprecated 6to4 relay
 * anycast, reserved, limited broadcast), plus multicast. A receiver of callbacks is an ordinary unicast host.
 */
const IPV4_REFUSED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network" (RFC 791), "this host" 0.0.0.0/32 (RFC 1122)
  ['10.0.0.0', 8], // private-use (RFC 1918)
  ['100.64.0.0', 10], // shared address space, CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback (RFC 1122)
  ['169.254.0.0', 16], // link local, 169.254.169.254 metadata (RFC 3927)
  ['172.16.0.0', 12], // private-use (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments (RFC 6890) and all its entries
  ['192.0.2.0', 24], // documentation TEST-NET-1 (RFC 5737)
  ['192.31.196.0', 24], // AS112-v4 (RFC 7535)
  ['192.52.193.0', 24], // AMT (RFC 7450)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast (RFC 7526), 6a44 relay (RFC 6751)
  ['192.168.0.0', 16], // private-use (RFC 1918)
  ['192.175.48.0', 24], // direct delegation AS112 service (RFC 7534)
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['198.51.100.0', 24], // documentation TEST-NET-2 (RFC 5737)
  ['203.0.113.0', 24], // documentation TEST-NET-3 (RFC 5737)
  ['224.0.0.0', 4], // multicast (RFC 5771)
  ['240.0.0.0', 4], // reserved (RFC 1112), limited broadcast 255.255.255.255 (RFC 8190)
];

/**
 * IPv6 blocks of the IANA IPv6 Special-Purpose Address Registry that are refused outright, and the non-unicast
 * ranges. Forms that embed an IPv4 address (IPv4-mapped, IPv4-compatible, SIIT, NAT64 64:ff9b::/96, 6to4, Teredo)
 * are judged by the IPv4 address they carry instead, in {@link isPublicAddress}; anything outside 2000::/3 (global
 * unicast) is refused as well, which covers the registry's blocks there.
 */
const IPV6_REFUSED: ReadonlyArray<readonly [string, number]> = [
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation (RFC 8215): where the IPv4 address sits is the operator's
  ['100::', 64], // discard-only (RFC 6666)
  ['100:0:0:1::', 64], // dummy prefix (RFC 9780)
  ['2001::', 23], // IETF protocol assignments (RFC 2928): PCP, TURN, DNS-SD anycast, benchmarking, AMT, AS112, ORCHID, DETs
  ['2001:db8::', 32], // documentation (RFC 3849)
  ['2620:4f:8000::', 48], // direct delegation AS112 service (RFC 7534)
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // segment routing SIDs (RFC 9602)
  ['fc00::', 7], // unique local (RFC 4193)
  ['fe80::', 10], // link-local (RFC 4291)
  ['fec0::', 10], // site-local, deprecated (RFC 3879)
  ['ff00::', 8], // multicast (RFC 4291)
];

const refused = new BlockList();
for (const [net, prefix] of IPV4_REFUSED) refused.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of IPV6_REFUSED) refused.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 literal (zone id dropped, a trailing dotted quad folded into two groups). */
const groupsOf = (address: string): number[] => {
  const text = address
    .toLowerCase()
    .replace(/%.*$/, '')
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
      [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)].map((n) => n.toString(16)).join(':'),
    );
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => Number.parseInt(h, 16)));
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
};

const ipv4Of = (high: number, low: number): string => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
const zero = (groups: number[]) => groups.every((g) => g === 0);

/** IPv4 addresses an IPv6 address carries by a standard embedding, or undefined for an ordinary IPv6 address. */
const embeddedIpv4 = (g: number[]): string[] | undefined => {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  if (zero([g0, g1, g2, g3, g4]) && g5 === 0xffff) return [ipv4Of(g6, g7)]; // IPv4-mapped ::ffff:0:0/96 (RFC 4291)
  if (zero([g0, g1, g2, g3, g5]) && g4 === 0xffff) return [ipv4Of(g6, g7)]; // IPv4-translated ::ffff:0:0:0/96 (RFC 2765)
  if (zero([g0, g1, g2, g3, g4, g5])) return [ipv4Of(g6, g7)]; // IPv4-compatible ::/96, :: and ::1 included (RFC 4291)
  if (g0 === 0x64 && g1 === 0xff9b && zero([g2, g3, g4, g5])) return [ipv4Of(g6, g7)]; // NAT64 64:ff9b::/96 (RFC 6052)
  if (g0 === 0x2002) return [ipv4Of(g1, g2)]; // 6to4 2002::/16 (RFC 3056)
  if (g0 === 0x2001 && g1 === 0) return [ipv4Of(g2, g3), ipv4Of(g6 ^ 0xffff, g7 ^ 0xffff)]; // Teredo server, client (RFC 4380)
  return undefined;
};

/**
 * True when `address` (an IP literal) is an ordinary public unicast address a callback may reach. IPv4: outside
 * every special-purpose block. IPv6: an address that embeds IPv4 (mapped, compatible, translated, NAT64, 6to4,
 * Teredo) is public only when every IPv4 address it carries is; any other must be global unicast (2000::/3) and
 * outside every special-purpose block. Non-IPs are not public.
 */
export const isPublicAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return !refused.check(address, 'ipv4');
  if (family !== 6) return false;
  const groups = groupsOf(address);
  const embedded = embeddedIpv4(groups);
  if (embedded) return embedded.every(isPublicAddress);
  const globalUnicast = ((groups[0] ?? 0) & 0xe000) === 0x2000;
  return globalUnicast && !refused.check(address.replace(/%.*$/, ''), 'ipv6');
};
