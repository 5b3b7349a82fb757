import { anyNameMatches } from './matching.js';
import { anyInventoryEntryMatches, isCanonicalPath, isInventoryPath, parentPath } from './patterns.js';
import type { Rule } from './policy.js';

/**
 * What a clone request asks for, as far as the policy cares. Structural, so a clone request is one; kept here so
 * the policy does not depend on the clones feature's schema.
 */
export type CloneTarget = {
  source: { path?: string | undefined; moref?: string | undefined; name?: string | undefined };
  folder?: string | undefined;
  pool?: string | undefined;
  datastore?: string | undefined;
  nics?: ReadonlyArray<{ network?: string | undefined }> | undefined;
  count: number;
  ttlMinutes?: number | undefined;
  waitFor: 'task' | 'ip';
};

/** A refusal: the request field at fault and why. */
export type Refusal = { field: string; message: string };

const sourceFieldOf = (t: CloneTarget) =>
  t.source.path ? 'source.path' : t.source.moref ? 'source.moref' : 'source.name';

/** The source as a path or moref; a name in a folder given by path is that path; a name in a moref folder: unknown. */
const sourceOf = (t: CloneTarget): string | undefined => {
  if (t.source.path !== undefined) return t.source.path;
  if (t.source.moref !== undefined) return t.source.moref;
  return t.folder !== undefined && isInventoryPath(t.folder) ? `${t.folder}/${t.source.name}` : undefined;
};

/** Where the clone lands without a `folder`: beside its source. Unknown for a source given by moref. */
const sourceFolderOf = (t: CloneTarget): string | undefined => {
  if (t.source.path !== undefined) return parentPath(t.source.path);
  return t.source.name !== undefined ? t.folder : undefined;
};

const checkSource = (rule: Rule, t: CloneTarget): Refusal | undefined => {
  const source = sourceOf(t);
  const field = sourceFieldOf(t);
  if (source !== undefined && isInventoryPath(source) && !isCanonicalPath(source)) {
    return { field, message: 'must be a plain inventory path (no empty, "." or ".." segments)' };
  }
  if (source !== undefined && anyInventoryEntryMatches(rule.resources?.sources ?? [], source)) return undefined;
  return { field, message: `${source ?? 'this source'} is not among the sources rule ${rule.id} lets you clone` };
};

const checkFolder = (rule: Rule, t: CloneTarget): Refusal | undefined => {
  const allowed = rule.resources?.folders;
  const home = sourceFolderOf(t);
  if (allowed === undefined) {
    if (t.folder === undefined || t.folder === home) return undefined;
    return { field: 'folder', message: `rule ${rule.id} keeps clones beside their source: leave "folder" out` };
  }
  const folder = t.folder ?? home;
  if (folder === undefined) {
    return { field: 'folder', message: `is required by rule ${rule.id} when the source is given by moref` };
  }
  if (anyInventoryEntryMatches(allowed, folder)) return undefined;
  return { field: 'folder', message: `${folder} is not among the folders rule ${rule.id} lets you clone into` };
};

const checkPlacement = (
  allowed: readonly string[] | undefined,
  value: string | undefined,
  field: 'pool' | 'datastore',
  rule: Rule,
): Refusal | undefined => {
  if (value === undefined) return undefined;
  const list = field === 'pool' ? 'resourcePools' : 'datastores';
  if (allowed === undefined) {
    return { field, message: `rule ${rule.id} keeps clones on their source's ${field}: leave "${field}" out` };
  }
  return anyInventoryEntryMatches(allowed, value)
    ? undefined
    : { field, message: `${value} is not among the ${list} of rule ${rule.id}` };
};

const checkNetworks = (rule: Rule, t: CloneTarget): Refusal | undefined => {
  const allowed = rule.resources?.networks ?? [];
  const index = (t.nics ?? []).findIndex((nic) => nic.network !== undefined && !anyNameMatches(allowed, nic.network));
  if (index < 0) return undefined;
  return {
    field: `nics.${index}.network`,
    message: `${t.nics?.[index]?.network} is not among the networks rule ${rule.id} lets a clone join`,
  };
};

const checkLimits = (rule: Rule, t: CloneTarget): Refusal | undefined => {
  const limits = rule.limits;
  if (!limits) return undefined;
  if (limits.count !== undefined && t.count > limits.count) {
    return { field: 'count', message: `must be at most ${limits.count} (rule ${rule.id})` };
  }
  if (limits.ttlMinutes !== undefined && (t.ttlMinutes === undefined || t.ttlMinutes > limits.ttlMinutes)) {
    return { field: 'ttlMinutes', message: `is required and at most ${limits.ttlMinutes} (rule ${rule.id})` };
  }
  if (limits.waitFor !== undefined && !limits.waitFor.includes(t.waitFor)) {
    return { field: 'waitFor', message: `must be ${limits.waitFor.join(' or ')} (rule ${rule.id})` };
  }
  return undefined;
};

/** The first thing `rule` does not admit about the clone, in request order; undefined when it admits it all. */
export const checkCloneTarget = (rule: Rule, t: CloneTarget): Refusal | undefined =>
  checkSource(rule, t) ??
  checkFolder(rule, t) ??
  checkPlacement(rule.resources?.resourcePools, t.pool, 'pool', rule) ??
  checkPlacement(rule.resources?.datastores, t.datastore, 'datastore', rule) ??
  checkNetworks(rule, t) ??
  checkLimits(rule, t);
