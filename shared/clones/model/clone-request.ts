import * as z from 'zod';
import { isManualVmwareMac, MAC_PATTERN, MAC_RANGE_PREFIX } from './mac-ranges.js';

/** vSphere rejects VM names of 80 characters or more. */
export const MAX_VM_NAME_LENGTH = 79;
export const MAX_CLONES_PER_REQUEST = 100;
/** A job's deadline when the request gives no `timeoutMinutes`: queueing, the clone and the wait for an IP. */
export const DEFAULT_TIMEOUT_MINUTES = 15;
/** The longest deadline a request may ask for (a day). */
export const MAX_TIMEOUT_MINUTES = 24 * 60;
/** extraConfig keys and labels the service owns; a caller may not set them. */
export const RESERVED_EXTRA_CONFIG_PREFIX = 'instaclone.';

/**
 * A vSphere BIOS UUID: any 128-bit value as 32 hex digits in 8-4-4-4-12 form, in any case. Not RFC 4122: the UUIDs
 * VMware generates (`42xxxxxx-…` from the host) do not carry RFC variant or version bits.
 */
const BIOS_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** vSphere stores "/", "\\" and "%" escaped in names; control characters are never wanted. */
const hasForbiddenNameCharacter = (name: string): boolean =>
  [...name].some((c) => c.charCodeAt(0) < 0x20 || c === '/' || c === '\\' || c === '%');

const InventoryPathSchema = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/[^/]/, 'must be an inventory path starting with "/", e.g. /DC0/vm/golden');
const MoRefIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'must be a managed object id such as vm-42');
const VmNameSchema = z
  .string()
  .min(1)
  .max(MAX_VM_NAME_LENGTH, `vSphere VM names are at most ${MAX_VM_NAME_LENGTH} characters`)
  .refine((name) => !hasForbiddenNameCharacter(name), 'must not contain control characters, "/", "\\" or "%"');

/**
 * The source VM: by inventory path, by moref, or by name within the request's `folder` (names are unique only per
 * folder, so a bare name needs one).
 */
export const CloneSourceSchema = z
  .object({ path: InventoryPathSchema.optional(), moref: MoRefIdSchema.optional(), name: VmNameSchema.optional() })
  .strict()
  .refine((s) => [s.path, s.moref, s.name].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of "path" (e.g. /DC0/vm/golden), "moref" (e.g. vm-42) or "name" (with "folder")',
  });
export type CloneSource = z.infer<typeof CloneSourceSchema>;

/** A placement target: an inventory path (`/DC0/vm/ci`) or a moref (`group-v4`). */
export const PlacementSchema = z.union([InventoryPathSchema, MoRefIdSchema], {
  error: 'must be an inventory path such as /DC0/vm/ci or a moref such as group-v4',
});

const RANGE_MAC = /^range:[a-z0-9][a-z0-9-]{0,39}$/;
const isManualMac = (mac: string | undefined): mac is string =>
  mac !== undefined && mac !== 'auto' && !mac.startsWith(MAC_RANGE_PREFIX);

/**
 * A NIC's MAC: `auto` (vCenter assigns one), a manual MAC in VMware's range (lower-cased), or `range:<name>`: a free
 * MAC of the operator's managed range `<name>`, allocated at submit (whether the range exists is checked there).
 */
export const MacSchema = z
  .string()
  .transform((s) => (s.startsWith(MAC_RANGE_PREFIX) ? s : s.toLowerCase()))
  .refine(
    (s) => s === 'auto' || MAC_PATTERN.test(s) || RANGE_MAC.test(s),
    'must be "auto", a MAC such as 00:50:56:3a:12:34 or a managed range such as range:ci',
  )
  .refine(
    (s) => !MAC_PATTERN.test(s) || isManualVmwareMac(s),
    'manual MACs must be in 00:50:56:00:00:00-00:50:56:3f:ff:ff',
  );

const DeviceKeySchema = z.number().int().min(0).max(2_147_483_647);
const DeviceLabelSchema = z.string().min(1).max(80);
const byKeyOrLabel = <T extends { key?: number; label?: string }>(d: T) =>
  (d.key === undefined) !== (d.label === undefined);
const KEY_OR_LABEL = { message: 'give exactly one of "key" or "label"' };

export const NicChangeSchema = z
  .object({
    key: DeviceKeySchema.optional(),
    label: DeviceLabelSchema.optional(),
    mac: MacSchema.optional(),
    /** Standard or distributed portgroup, by name. */
    network: z.string().min(1).max(80).optional(),
    /** `false` clones the NIC disconnected (reconnect after the guest re-identified itself). */
    connected: z.boolean().optional(),
  })
  .strict()
  .refine(byKeyOrLabel, KEY_OR_LABEL);

export const PortFileSchema = z
  .object({
    key: DeviceKeySchema.optional(),
    label: DeviceLabelSchema.optional(),
    /** Datastore path of the backing file, e.g. `[LocalDS_0] ci-1/serial0.log`. */
    file: z
      .string()
      .regex(/^\[[^\]]+\] \S/, 'must be a datastore path such as "[LocalDS_0] ci-1/serial0.log"')
      .max(1024),
  })
  .strict()
  .refine(byKeyOrLabel, KEY_OR_LABEL);

const uniqueDevices = (list: Array<{ key?: number; label?: string }>) =>
  new Set(list.map((d) => d.key ?? d.label)).size === list.length;

const ConfigKeySchema = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, 'keys are letters, digits, "_", "." or "-"');
const ConfigMapSchema = z
  .record(ConfigKeySchema, z.string().max(64 * 1024))
  .refine((m) => Object.keys(m).length <= 64, 'at most 64 entries');

const LabelsSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.:/-]{1,63}$/, 'label keys are 1-63 letters, digits or "_.:/-"'),
    z.string().max(256),
  )
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 labels');

/**
 * Body of `POST /v1/clones`, version 1. Unknown fields are rejected so a typo never silently does nothing.
 * `guestinfo` keys without the `guestinfo.` prefix get it; guestinfo and extraConfig land in the clone's extraConfig.
 */
export const CloneRequestSchema = z
  .object({
    version: z.literal('1').default('1'),
    source: CloneSourceSchema,
    name: VmNameSchema.optional(),
    folder: PlacementSchema.optional(),
    pool: PlacementSchema.optional(),
    datastore: PlacementSchema.optional(),
    nics: z.array(NicChangeSchema).max(10).refine(uniqueDevices, 'each NIC may appear once').optional(),
    serialPorts: z.array(PortFileSchema).max(4).refine(uniqueDevices, 'each port may appear once').optional(),
    parallelPorts: z.array(PortFileSchema).max(3).refine(uniqueDevices, 'each port may appear once').optional(),
    guestinfo: ConfigMapSchema.optional(),
    extraConfig: ConfigMapSchema.refine(
      (m) => Object.keys(m).every((k) => !k.startsWith(RESERVED_EXTRA_CONFIG_PREFIX)),
      `keys starting with "${RESERVED_EXTRA_CONFIG_PREFIX}" are reserved`,
    ).optional(),
    /** Lower-cased, as vCenter reports `config.uuid`, so the job and the VM show the same string. */
    biosUuid: z
      .string()
      .regex(BIOS_UUID, 'must be 32 hex digits in 8-4-4-4-12 form such as 4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b')
      .transform((s) => s.toLowerCase())
      .optional(),
    labels: LabelsSchema.optional(),
    /** Lease: the clone is destroyed this many minutes after it is ready. */
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .optional(),
    callbackUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .optional(),
    /**
     * The job's deadline, counted from the request: queueing, the clone and (`waitFor: ip`) the guest's new IP.
     * Past it the job ends FAILED with `DEADLINE_EXCEEDED`. Absent means {@link DEFAULT_TIMEOUT_MINUTES}.
     */
    timeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(MAX_TIMEOUT_MINUTES, `at most ${MAX_TIMEOUT_MINUTES} (a day)`)
      .optional(),
    count: z.number().int().min(1).max(MAX_CLONES_PER_REQUEST).default(1),
    /** `task`: done when the clone task succeeds. `ip`: done when the guest reports an IP other than the source's. */
    waitFor: z.enum(['task', 'ip']).default('task'),
  })
  .strict()
  .refine((r) => r.source.name === undefined || r.folder !== undefined, {
    path: ['folder'],
    message: 'is required with source.name: the folder the source is looked up in (and the clone goes to)',
  })
  .refine((r) => r.count === 1 || r.name === undefined, {
    path: ['name'],
    message: 'cannot be given with count > 1: each clone gets a name derived from its job id',
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    (r.nics ?? []).forEach((nic, i) => {
      if (!isManualMac(nic.mac)) return;
      const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['nics', i, 'mac'], message });
      if (r.count > 1) issue('a manual MAC cannot go to count > 1 clones: use "range:<name>" for one MAC each');
      else if (seen.has(nic.mac)) issue('is given to another NIC of this request too');
      seen.add(nic.mac);
    });
  });

/**
 * What outside callers (the API, signed hooks) may send: the request without `instaclone.*` labels, which the
 * service itself uses to mark pool spares and claims.
 */
export const CallerCloneRequestSchema = CloneRequestSchema.refine(
  (r) => Object.keys(r.labels ?? {}).every((k) => !k.startsWith(RESERVED_EXTRA_CONFIG_PREFIX)),
  { path: ['labels'], message: `keys starting with "${RESERVED_EXTRA_CONFIG_PREFIX}" are reserved` },
);

export type CloneRequest = z.infer<typeof CloneRequestSchema>;
export type CloneRequestInput = z.input<typeof CloneRequestSchema>;

/** The guestinfo map with every key carrying its `guestinfo.` prefix. */
export const guestinfoExtraConfig = (guestinfo: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(guestinfo).map(([k, v]) => [k.startsWith('guestinfo.') ? k : `guestinfo.${k}`, v]));
