import { z } from 'zod';

/** vSphere rejects VM names of 80 characters or more. */
export const MAX_VM_NAME_LENGTH = 79;

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
/** VMware's OUI range for manually assigned MACs: 00:50:56:00:00:00 to 00:50:56:3f:ff:ff. */
const isManualVmwareMac = (mac: string): boolean =>
  mac.startsWith('00:50:56:') && Number.parseInt(mac.slice(9, 11), 16) <= 0x3f;

/** vSphere stores "/", "\\" and "%" escaped in names; control characters are never wanted. */
const hasForbiddenNameCharacter = (name: string): boolean =>
  [...name].some((c) => c.charCodeAt(0) < 0x20 || c === '/' || c === '\\' || c === '%');

const InventoryPathSchema = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/[^/]/, 'must be an inventory path starting with "/", e.g. /DC0/vm/golden');
const MoRefIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'must be a managed object id such as vm-42');

export const CloneSourceSchema = z
  .object({ path: InventoryPathSchema.optional(), moref: MoRefIdSchema.optional() })
  .strict()
  .refine((s) => (s.path === undefined) !== (s.moref === undefined), {
    message: 'give exactly one of "path" or "moref"',
  });

export const MacSchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine((s) => s === 'auto' || MAC.test(s), 'must be "auto" or a MAC such as 00:50:56:3a:12:34')
  .refine((s) => s === 'auto' || isManualVmwareMac(s), 'manual MACs must be in 00:50:56:00:00:00-00:50:56:3f:ff:ff');

export const NicChangeSchema = z
  .object({
    key: z.number().int().min(0).max(2_147_483_647),
    mac: MacSchema.optional(),
  })
  .strict();

const GuestinfoKeySchema = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, 'keys are letters, digits, "_", "." or "-"');

/**
 * Body of `POST /v1/clones`, version 1. Unknown fields are rejected so a typo never silently does nothing.
 * `guestinfo` keys without the `guestinfo.` prefix get it; the result lands in the clone's extraConfig.
 */
export const CloneRequestSchema = z
  .object({
    version: z.literal('1').default('1'),
    source: CloneSourceSchema,
    name: z
      .string()
      .min(1)
      .max(MAX_VM_NAME_LENGTH, `vSphere VM names are at most ${MAX_VM_NAME_LENGTH} characters`)
      .refine((name) => !hasForbiddenNameCharacter(name), 'must not contain control characters, "/", "\\" or "%"')
      .optional(),
    folder: InventoryPathSchema.optional(),
    nics: z
      .array(NicChangeSchema)
      .max(10)
      .refine((nics) => new Set(nics.map((n) => n.key)).size === nics.length, 'each NIC key may appear once')
      .optional(),
    guestinfo: z
      .record(GuestinfoKeySchema, z.string().max(64 * 1024))
      .refine((m) => Object.keys(m).length <= 64, 'at most 64 entries')
      .optional(),
  })
  .strict();

export type CloneRequest = z.infer<typeof CloneRequestSchema>;
export type CloneRequestInput = z.input<typeof CloneRequestSchema>;

/** The guestinfo map with every key carrying its `guestinfo.` prefix. */
export const guestinfoExtraConfig = (guestinfo: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(guestinfo).map(([k, v]) => [k.startsWith('guestinfo.') ? k : `guestinfo.${k}`, v]));
