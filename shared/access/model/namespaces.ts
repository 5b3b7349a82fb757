import type { Principal } from './principal.js';

/**
 * Label and extraConfig prefixes that steer an integration, and the only principals that may set them: the runner
 * worker trusts `github.*` labels to mint a just-in-time runner config, the Slack notifier trusts `slack.*` labels to
 * post (and the Slack command to scope `status`/`destroy`), the in-guest runner script trusts
 * `guestinfo.instaclone.runner.*`, and the service marks its own clones (pool spares, claims) with `instaclone.*`.
 */
export const OWNED_NAMESPACES = [
  // Longest prefix first: the runner script's guestinfo belongs to the GitHub path, the rest of instaclone.* to us.
  {
    prefix: 'instaclone.runner.',
    owner: 'verified GitHub webhook deliveries',
    owns: (p: Principal) => p.id.startsWith('github:') || p.kind === 'service',
  },
  {
    prefix: 'github.',
    owner: 'verified GitHub webhook deliveries',
    owns: (p: Principal) => p.id.startsWith('github:'),
  },
  { prefix: 'slack.', owner: 'signed Slack commands', owns: (p: Principal) => p.id.startsWith('slack:') },
  { prefix: 'instaclone.', owner: 'the service itself', owns: (p: Principal) => p.kind === 'service' },
] as const;

/** The keys of a clone request that are checked: labels, extraConfig, and guestinfo (whose keys land in extraConfig). */
export type NamespacedRequest = {
  labels?: Record<string, string> | undefined;
  extraConfig?: Record<string, string> | undefined;
  guestinfo?: Record<string, string> | undefined;
};

const keysOf = (request: NamespacedRequest): Array<{ field: string; key: string }> => [
  ...Object.keys(request.labels ?? {}).map((key) => ({ field: `labels.${key}`, key })),
  ...Object.keys(request.extraConfig ?? {}).map((key) => ({
    field: `extraConfig.${key}`,
    key: key.startsWith('guestinfo.') ? key.slice('guestinfo.'.length) : key,
  })),
  ...Object.keys(request.guestinfo ?? {}).map((key) => ({
    field: `guestinfo.${key}`,
    key: key.startsWith('guestinfo.') ? key.slice('guestinfo.'.length) : key,
  })),
];

/**
 * The first key of `request` in a namespace `principal` does not own, with the field that carries it
 * (`labels.github.repo`, `guestinfo.instaclone.runner.jitconfig`) and who owns it; undefined when there is none.
 * Independent of the policy: it holds with no policy at all.
 */
export const foreignNamespaceKey = (
  principal: Principal,
  request: NamespacedRequest,
): { field: string; message: string } | undefined => {
  for (const { field, key } of keysOf(request)) {
    const owned = OWNED_NAMESPACES.find((n) => key.startsWith(n.prefix));
    if (owned && !owned.owns(principal)) {
      return { field, message: `keys starting with "${owned.prefix}" are set only by ${owned.owner}` };
    }
  }
  return undefined;
};
