import { parseArgs } from 'node:util';
import type { VcSimOptions } from './index.js';

/** `--help` text: documents every flag. */
export const HELP = `Usage: npm run vcsim -- [options]

vCenter simulator speaking vim25 SOAP, with InstantClone_Task. Serves POST /sdk, GET /sdk/vimServiceVersions.xml
and a loopback-only admin API under /vcsim/ (stats, vms, faults, power, frozen, sessions/expire).

Options:
  --listen HOST:PORT          address to bind (default 127.0.0.1:8989; use port 0 for any free port)
  --tls                       serve https with a fresh self-signed certificate; its PEM is written to a file
                              whose path is printed (pass it as the client's CA bundle)
  --username USER             accept only this user name (default: any non-empty)
  --password PASS             accept only this password (default: any non-empty)
  --api-version V             about.apiVersion (default 8.0.3.0)
  --task-duration-ms N        time an InstantClone task runs (default 200)
  --guest-ip-delay-ms N       time a clone reports its source's IP/host name before its own (default 2000)
  --session-timeout-ms N      idle session timeout (default 1800000 = 30 min)
  --datacenters N             datacenters DC0.. (default 1)
  --clusters N                clusters per datacenter (default 1)
  --hosts N                   hosts per cluster (default 3)
  --standalone-hosts N        standalone hosts per datacenter (default 1)
  --vms-per-host N            VMs per standalone host and per cluster (default 2)
  --vms N                     total VMs, spread over hosts and clusters (overrides --vms-per-host; up to 10000+)
  --state-file PATH           keep the world (VMs, folders, extraConfig, power states, MACs, moref counters) in this
                              JSON file: loaded at start when it exists, rewritten after changes (default: memory)
  --collector-quirks          misbehave like some vim25 servers (not vCenter), to test clients: a filter created
                              after the collector handed out a version gets no initial state, and a task's update
                              goes to whichever WaitForUpdatesEx call polls first, not to the filter's collector
  -h, --help                  show this help

Example:
  npm run vcsim -- --listen 127.0.0.1:8989 --username admin --password secret --task-duration-ms 500
`;

const NUMERIC = [
  'task-duration-ms',
  'guest-ip-delay-ms',
  'session-timeout-ms',
  'datacenters',
  'clusters',
  'hosts',
  'standalone-hosts',
  'vms-per-host',
  'vms',
] as const;

/** Parses argv into VcSimOptions; throws an Error naming the bad flag. */
export function parseCli(argv: string[]): VcSimOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      listen: { type: 'string', default: '127.0.0.1:8989' },
      tls: { type: 'boolean', default: false },
      'collector-quirks': { type: 'boolean', default: false },
      username: { type: 'string' },
      password: { type: 'string' },
      'api-version': { type: 'string' },
      'state-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...Object.fromEntries(NUMERIC.map((name) => [name, { type: 'string' as const }])),
    },
  });
  if (values.help) return 'help';
  const num = (name: (typeof NUMERIC)[number]): number | undefined => {
    const raw = (values as Record<string, unknown>)[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${String(raw)}`);
    return n;
  };
  const listen = values.listen ?? '127.0.0.1:8989';
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = Number(listen.slice(colon + 1));
  if (colon === -1 || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--listen must be HOST:PORT, got ${listen}`);
  return {
    host,
    port,
    tls: values.tls,
    username: values.username,
    password: values.password,
    apiVersion: values['api-version'],
    taskDurationMs: num('task-duration-ms'),
    guestIpDelayMs: num('guest-ip-delay-ms'),
    sessionIdleTimeoutMs: num('session-timeout-ms'),
    collectorQuirks: values['collector-quirks'],
    stateFile: values['state-file'],
    inventory: {
      datacenters: num('datacenters'),
      clusters: num('clusters'),
      hosts: num('hosts'),
      standaloneHosts: num('standalone-hosts'),
      vmsPerHost: num('vms-per-host'),
      vms: num('vms'),
    },
  };
}
