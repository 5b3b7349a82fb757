/** A `github` stage section with GitHub runners on: one pool, an App id, the public API (no egress: nat mode). */
export const GITHUB_RUNNERS = {
  enabled: true,
  appId: '123456',
  runnerPools: [
    {
      name: 'linux',
      labels: ['self-hosted', 'linux', 'x64'],
      source: { path: '/DC0/vm/runner-golden' },
      organizations: ['octo-org'],
    },
  ],
} as const;

/** GitHub's API ranges (a sample) and a customer-managed prefix list, for stages in `vpc-endpoints` mode. */
export const GITHUB_EGRESS = { cidrs: ['140.82.112.0/20'], prefixListIds: ['pl-0123456789abcdef0'] } as const;
