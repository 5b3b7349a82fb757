import type { ClonedVm } from '../model/clone-job.js';
import type { ClonePlan, FoundVm } from '../ports/vm-cloner.js';

/** What of a plan a clone lacks: extraConfig keys absent or with another value, NICs without their MAC. */
export type UnappliedSpec = { keys: string[]; nics: string[] };

/** At most this many keys or NICs are named in a message (the job's stored text is bounded anyway). */
const NAMED_AT_MOST = 20;

/**
 * Compares a clone as vCenter reports it with the plan it was made from: every extraConfig key the plan set (the
 * job's `instaclone.jobId`, its `guestinfo.*`, its extraConfig) with its value, and every NIC given a MAC (manual or
 * from a managed range) with that MAC. An empty value is met by an absent key (vCenter removes a key set to "").
 * Undefined when everything was applied.
 */
export const unappliedSpec = (plan: ClonePlan, vm: FoundVm): UnappliedSpec | undefined => {
  const keys = Object.entries(plan.extraConfig)
    .filter(([key, value]) => (vm.extraConfig[key] ?? '') !== value)
    .map(([key]) => key);
  const nics = plan.nics.flatMap((want) => {
    if (want.mac === undefined) return [];
    const nic = vm.nics.find((n) => ('key' in want ? n.key === want.key : n.label === want.label));
    const name = 'key' in want ? `NIC ${want.key}` : `NIC "${want.label}"`;
    if (!nic) return [`${name} is missing (wanted MAC ${want.mac})`];
    return nic.mac.toLowerCase() === want.mac.toLowerCase()
      ? []
      : [`${name} has MAC ${nic.mac || 'none'}, not ${want.mac}`];
  });
  return keys.length > 0 || nics.length > 0 ? { keys, nics } : undefined;
};

const listed = (items: string[]): string =>
  items.length <= NAMED_AT_MOST
    ? items.join(', ')
    : `${items.slice(0, NAMED_AT_MOST).join(', ')} and ${items.length - NAMED_AT_MOST} more`;

/** The job's error message for a clone that lacks part of its spec: names the keys and NICs. */
export const unappliedMessage = (vm: Pick<FoundVm, 'moref'>, missing: UnappliedSpec): string => {
  const parts = [
    ...(missing.keys.length > 0 ? [`extraConfig keys missing or different: ${listed(missing.keys)}`] : []),
    ...(missing.nics.length > 0 ? [listed(missing.nics)] : []),
  ];
  return (
    `vCenter made clone ${vm.moref} without part of its spec (${parts.join('; ')}); ` +
    'the clone is destroyed. A vCenter or proxy that drops typed values does this: check what sits in between'
  );
};

/** The fields of a found VM that a job stores (never its extraConfig, which may hold secrets, nor NIC labels). */
export const clonedVmOf = (vm: FoundVm): ClonedVm => ({
  moref: vm.moref,
  name: vm.name,
  nics: vm.nics.map((n) => ({ key: n.key, mac: n.mac, addressType: n.addressType })),
});
