import type { FaultRule, SimStats, SimVm } from '../vcsim/index.js';

/**
 * Client of the simulator's loopback admin API (`/vcsim/...`, see local/vcsim/admin.ts), for a simulator running in
 * another process. Every call rejects with the status and body when the answer is not 2xx.
 */
export type SimAdmin = {
  stats(): Promise<SimStats>;
  vms(): Promise<SimVm[]>;
  addFault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  expireSessions(): Promise<void>;
};

/** `base` is the admin root, e.g. `http://127.0.0.1:PORT/vcsim`. */
export function simAdmin(base: string): SimAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`vcsim admin ${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    stats: () => call<SimStats>('GET', '/stats'),
    vms: () => call<SimVm[]>('GET', '/vms'),
    addFault: (rule) => call<void>('POST', '/faults', rule),
    clearFaults: () => call<void>('DELETE', '/faults'),
    expireSessions: () => call<void>('POST', '/sessions/expire'),
  };
}
