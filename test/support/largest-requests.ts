import { type CloneRequest, CloneRequestSchema } from '#shared/clones/model/clone-request';
import { REQUEST_LIMITS, requestSizeIssues } from '#shared/clones/model/request-limits';

/** A 3-byte UTF-8 character: every text field at its length limit is at its largest in bytes. */
const WIDE = '€';
const wide = (length: number) => WIDE.repeat(length);
const path = (length: number) => `/${wide(length - 1)}`;

/**
 * A clone request with every field but guestinfo at its schema limit, in the widest characters: 20 labels of 256
 * characters, 1,024-character paths, 10 NICs, 7 ports and a 2,048-character callback URL.
 */
export const requestWithEverythingAtItsLimit = (count = 1): CloneRequest =>
  CloneRequestSchema.parse({
    source: { path: path(1024) },
    ...(count === 1 && { name: wide(79) }),
    folder: path(1024),
    pool: path(1024),
    datastore: path(1024),
    nics: Array.from({ length: 10 }, (_, key) => ({
      key,
      network: wide(80),
      mac: `range:${'r'.repeat(40)}`,
      connected: false,
    })),
    serialPorts: Array.from({ length: 4 }, (_, key) => ({ key, file: `[${wide(10)}] ${wide(1010)}` })),
    parallelPorts: Array.from({ length: 3 }, (_, key) => ({ key, file: `[${wide(10)}] ${wide(1010)}` })),
    extraConfig: {},
    biosUuid: '4217c6f2-8a0e-4b7f-9a3b-2c9d8e7f6a5b',
    labels: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${i}`.padEnd(63, 'k'), wide(256)])),
    ttlMinutes: 43_200,
    callbackUrl: `https://example.com/${'a'.repeat(2048 - 20)}`,
    count,
    waitFor: 'ip',
  });

/** `request` with guestinfo of `bytes` bytes in all (as JSON), in values of at most 64 KiB. */
export const withGuestinfoBytes = (request: CloneRequest, bytes: number): CloneRequest => {
  const guestinfo: Record<string, string> = {};
  let left = Math.max(0, bytes - 2);
  for (let i = 0; left > 0; i++) {
    const key = `g${String(i).padStart(3, '0')}`;
    const room = left - (key.length + 6);
    if (room <= 0) break;
    guestinfo[key] = 'x'.repeat(Math.min(64 * 1024, room));
    left -= key.length + 6 + guestinfo[key].length;
  }
  return { ...request, guestinfo };
};

/** The most guestinfo bytes `request` may carry within the budget (binary search over requestSizeIssues). */
export const largestGuestinfoBytes = (request: CloneRequest): number => {
  let [low, high] = [0, REQUEST_LIMITS.configBytes + 1];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (requestSizeIssues(withGuestinfoBytes(request, mid)).length === 0) low = mid;
    else high = mid;
  }
  return low;
};
