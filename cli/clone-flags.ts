import { readFileSync } from 'node:fs';

/** Thrown for a command line the CLI cannot run; the message says what to fix (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** parseArgs options of `instaclone clone`: one flag per field of the request body. */
export const CLONE_OPTIONS = {
  source: { type: 'string' },
  name: { type: 'string' },
  folder: { type: 'string' },
  pool: { type: 'string' },
  datastore: { type: 'string' },
  nic: { type: 'string', multiple: true },
  guestinfo: { type: 'string', multiple: true },
  'extra-config': { type: 'string', multiple: true },
  label: { type: 'string', multiple: true },
  'bios-uuid': { type: 'string' },
  ttl: { type: 'string' },
  'callback-url': { type: 'string' },
  count: { type: 'string' },
  'wait-for': { type: 'string' },
  file: { type: 'string' },
  'idempotency-key': { type: 'string' },
} as const;

export type CloneFlags = {
  source?: string | undefined;
  name?: string | undefined;
  folder?: string | undefined;
  pool?: string | undefined;
  datastore?: string | undefined;
  nic?: string[] | undefined;
  guestinfo?: string[] | undefined;
  'extra-config'?: string[] | undefined;
  label?: string[] | undefined;
  'bios-uuid'?: string | undefined;
  ttl?: string | undefined;
  'callback-url'?: string | undefined;
  count?: string | undefined;
  'wait-for'?: string | undefined;
  file?: string | undefined;
};

/** `/DC0/vm/golden` → path, `vm-42` → moref, anything else → name. */
export const sourceOf = (text: string): Record<string, string> =>
  text.startsWith('/') ? { path: text } : /^[a-z]+-\d+$/i.test(text) ? { moref: text } : { name: text };

/** `k=v` pairs into a map; the first `=` splits, so values may contain `=`. */
export const pairs = (flag: string, values: string[] | undefined): Record<string, string> | undefined => {
  if (!values?.length) return undefined;
  return Object.fromEntries(
    values.map((v) => {
      const eq = v.indexOf('=');
      if (eq <= 0) throw new UsageError(`--${flag} wants key=value, got "${v}"`);
      return [v.slice(0, eq), v.slice(eq + 1)];
    }),
  );
};

const integer = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} wants a whole number, got "${value}"`);
  return Number(value);
};

/** `--nic 4000=auto`, `--nic 4000=00:50:56:3a:12:34`, `--nic "Network adapter 1=auto"`, `--nic 4000` (no change). */
const nicOf = (text: string): Record<string, unknown> => {
  const [device = '', mac] = text.split(/=(.*)/s, 2);
  const ref = /^\d+$/.test(device) ? { key: Number(device) } : { label: device };
  return { ...ref, ...(mac && { mac }) };
};

/**
 * The `POST /v1/clones` body from flags, on top of `--file` (a JSON request) when given. Only the shape is
 * checked here; the API validates the rest and its 400 names the field. Throws UsageError.
 */
export const cloneRequestFromFlags = (
  flags: CloneFlags,
  readFile = (p: string) => readFileSync(p, 'utf8'),
): Record<string, unknown> => {
  let base: Record<string, unknown> = {};
  if (flags.file) {
    try {
      base = JSON.parse(readFile(flags.file)) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--file ${flags.file}: ${(err as Error).message}`);
    }
  }
  const request: Record<string, unknown> = {
    ...base,
    ...(flags.source && { source: sourceOf(flags.source) }),
    ...(flags.name && { name: flags.name }),
    ...(flags.folder && { folder: flags.folder }),
    ...(flags.pool && { pool: flags.pool }),
    ...(flags.datastore && { datastore: flags.datastore }),
    ...(flags.nic?.length && { nics: flags.nic.map(nicOf) }),
    ...(flags['bios-uuid'] && { biosUuid: flags['bios-uuid'] }),
    ...(flags['callback-url'] && { callbackUrl: flags['callback-url'] }),
    ...(flags['wait-for'] && { waitFor: flags['wait-for'] }),
  };
  const guestinfo = pairs('guestinfo', flags.guestinfo);
  const extraConfig = pairs('extra-config', flags['extra-config']);
  const labels = pairs('label', flags.label);
  if (guestinfo) request.guestinfo = { ...(base.guestinfo as object), ...guestinfo };
  if (extraConfig) request.extraConfig = { ...(base.extraConfig as object), ...extraConfig };
  if (labels) request.labels = { ...(base.labels as object), ...labels };
  const ttl = integer('ttl', flags.ttl);
  const count = integer('count', flags.count);
  if (ttl !== undefined) request.ttlMinutes = ttl;
  if (count !== undefined) request.count = count;
  if (!request.source)
    throw new UsageError('--source is required (an inventory path such as /DC0/vm/golden, or a moref such as vm-42)');
  return request;
};
