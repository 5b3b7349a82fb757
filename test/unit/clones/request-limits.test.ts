import { describe, expect, it } from 'vitest';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { REQUEST_LIMITS, requestSizeIssues } from '#shared/clones/model/request-limits';
import {
  largestGuestinfoBytes,
  requestWithEverythingAtItsLimit,
  withGuestinfoBytes,
} from '#test/support/largest-requests';

const plain = (count = 1) => CloneRequestSchema.parse({ source: { path: '/DC0/vm/DC0_H0_VM0' }, count });

describe('Model: request size budget', () => {
  it('names guestinfo when seven 64 KB values exceed what guestinfo and extraConfig may hold together', () => {
    // Prepare
    const guestinfo = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, 'x'.repeat(64 * 1024)]));
    // Act
    const issues = requestSizeIssues({ ...plain(), guestinfo });
    // Assess
    expect(issues[0]).toEqual({
      field: 'guestinfo',
      message: expect.stringMatching(/^guestinfo and extraConfig take \d+ bytes together; at most 196608$/),
    });
  });

  it('names extraConfig when it is the larger of the two', () => {
    // Act
    const issues = requestSizeIssues({
      ...plain(),
      guestinfo: { a: 'x'.repeat(60_000) },
      extraConfig: { b: 'x'.repeat(65_000), c: 'x'.repeat(65_000), d: 'x'.repeat(10_000) },
    });
    // Assess
    expect(issues.map((i) => i.field)).toEqual(['extraConfig']);
  });

  it('leaves the full config budget to a request with every other field at its schema limit', () => {
    // Act
    const largest = largestGuestinfoBytes(requestWithEverythingAtItsLimit());
    // Assess: the config rule, not the whole-request rule, is what binds
    expect(largest).toBeGreaterThan(REQUEST_LIMITS.configBytes - 64);
  });

  it('names count when count job answers would exceed the answer budget, and says how many fit', () => {
    // Prepare
    const request = withGuestinfoBytes(plain(100), largestGuestinfoBytes(plain(100)) + 1000);
    // Act
    const issues = requestSizeIssues(request);
    // Assess
    expect(issues).toEqual([
      {
        field: 'count',
        message: expect.stringMatching(
          /^100 jobs of \d+ bytes each exceed the 5242880-byte answer; at this size at most 9\d per request$/,
        ),
      },
    ]);
  });

  it('accepts a request exactly at its largest allowed guestinfo for count 100', () => {
    // Act
    const issues = requestSizeIssues(withGuestinfoBytes(plain(100), largestGuestinfoBytes(plain(100))));
    // Assess
    expect(issues).toEqual([]);
  });
});
