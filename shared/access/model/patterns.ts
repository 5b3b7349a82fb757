/**
 * The two pattern languages of the policy. Globs (`*` for any run of characters, everything else literal) match ids,
 * ARNs and claim values. Inventory entries match vSphere objects: `*` (anything), `/DC0/vm/golden/` (a trailing
 * slash: that folder and everything below it), `/DC0/vm/golden/web` (that path only) or a moref such as `vm-42` (that object
 * only). A moref entry never matches a path and a path entry never matches a moref: the service cannot tell where a
 * moref lives without asking vCenter, so a grant by path is not a grant for morefs.
 */

const cache = new Map<string, RegExp>();

/** True when `value` matches the glob `pattern` as a whole. */
export const globMatches = (pattern: string, value: string): boolean => {
  let regex = cache.get(pattern);
  if (!regex) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`, 's');
    cache.set(pattern, regex);
  }
  return regex.test(value);
};

/** A value's inventory path when it is one (starts with `/`), else undefined (a moref). */
export const isInventoryPath = (value: string): boolean => value.startsWith('/');

/**
 * An inventory path the policy can reason about: absolute, no empty, `.` or `..` segments, no trailing slash.
 * vCenter treats `..` as a name, but a path that looks like a traversal is refused rather than interpreted.
 */
export const isCanonicalPath = (path: string): boolean =>
  path.length > 1 &&
  path
    .split('/')
    .slice(1)
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');

/** The folder of an inventory path (`/DC0/vm/a/b` → `/DC0/vm/a`). */
export const parentPath = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

/** True when the inventory entry (see the module comment) admits `value` (a path or a moref). */
export const inventoryEntryMatches = (entry: string, value: string): boolean => {
  if (entry === '*') return true;
  if (!isInventoryPath(entry) || !isInventoryPath(value)) return entry === value;
  if (!isCanonicalPath(value)) return false;
  return entry.endsWith('/') ? value.startsWith(entry) || value === entry.slice(0, -1) : value === entry;
};

/** True when any entry admits `value`. */
export const anyInventoryEntryMatches = (entries: readonly string[], value: string): boolean =>
  entries.some((entry) => inventoryEntryMatches(entry, value));
