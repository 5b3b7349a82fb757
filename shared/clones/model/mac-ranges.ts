import * as z from 'zod';

/** A MAC as six lower-case hex pairs: `00:50:56:3a:12:34`. */
export const MAC_PATTERN = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
/** VMware's range for manually assigned MACs (vCenter refuses manual MACs outside it). */
export const MANUAL_MAC_FIRST = '00:50:56:00:00:00';
export const MANUAL_MAC_LAST = '00:50:56:3f:ff:ff';
/** `"mac": "range:<name>"` asks for a free MAC of the operator's range `<name>`. */
export const MAC_RANGE_PREFIX = 'range:';

/** The MAC as a 48-bit number (exact in a double). */
export const macToNumber = (mac: string): number => Number.parseInt(mac.replaceAll(':', ''), 16);
/** The number as a lower-case MAC. */
export const numberToMac = (n: number): string => n.toString(16).padStart(12, '0').match(/../g)?.join(':') ?? '';

export const isManualVmwareMac = (mac: string): boolean =>
  MAC_PATTERN.test(mac) &&
  macToNumber(mac) >= macToNumber(MANUAL_MAC_FIRST) &&
  macToNumber(mac) <= macToNumber(MANUAL_MAC_LAST);

const RangeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'range names are 1-40 lower-case letters, digits or "-"');
const RangeMacSchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine(isManualVmwareMac, `must be a MAC in VMware's manual range ${MANUAL_MAC_FIRST}-${MANUAL_MAC_LAST}`);

/** One managed range: every MAC from `first` to `last`, both included. */
export const MacRangeSchema = z
  .object({ name: RangeNameSchema, first: RangeMacSchema, last: RangeMacSchema })
  .strict()
  .refine((r) => macToNumber(r.first) <= macToNumber(r.last), {
    path: ['last'],
    message: 'must not come before "first"',
  });
export type MacRange = z.infer<typeof MacRangeSchema>;

const overlapping = (a: MacRange, b: MacRange) =>
  macToNumber(a.first) <= macToNumber(b.last) && macToNumber(b.first) <= macToNumber(a.last);

/**
 * The operator's managed MAC ranges (`INSTACLONE_MAC_RANGES` locally, `macRanges` in a stage file), a JSON document,
 * version 1: `{"version":"1","ranges":[{"name":"ci","first":"00:50:56:10:00:00","last":"00:50:56:10:00:ff"}]}`.
 * Names are unique and ranges do not overlap, so one MAC belongs to at most one range.
 */
export const MacRangesSchema = z
  .object({ version: z.literal('1'), ranges: z.array(MacRangeSchema).max(50) })
  .strict()
  .superRefine((doc, ctx) => {
    doc.ranges.forEach((range, i) => {
      const clash = doc.ranges.slice(0, i).find((other) => other.name === range.name || overlapping(other, range));
      if (clash)
        ctx.addIssue({
          code: 'custom',
          path: ['ranges', i],
          message: clash.name === range.name ? `repeats the name "${range.name}"` : `overlaps range "${clash.name}"`,
        });
    });
  });
export type MacRanges = z.infer<typeof MacRangesSchema>;

/** How many MACs the range holds. */
export const rangeSize = (range: MacRange): number => macToNumber(range.last) - macToNumber(range.first) + 1;
/** The range's MAC at `offset` (0 is `first`), wrapping around. */
export const macAt = (range: MacRange, offset: number): string =>
  numberToMac(macToNumber(range.first) + (((offset % rangeSize(range)) + rangeSize(range)) % rangeSize(range)));
/** The name a `range:<name>` MAC asks for, or undefined for `auto` and manual MACs. */
export const rangeNameOf = (mac: string | undefined): string | undefined =>
  mac?.startsWith(MAC_RANGE_PREFIX) ? mac.slice(MAC_RANGE_PREFIX.length) : undefined;

/** The setting's value for a list of ranges (what infra puts in the functions' environment). */
export const macRangesSetting = (ranges: readonly MacRange[]): string => JSON.stringify({ version: '1', ranges });
