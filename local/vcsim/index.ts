import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { InventoryOptions } from './default-inventory.js';
import { requestHandler } from './server.js';
import { createVcSim, type VcSim } from './sim.js';
import { defaultInstanceUuid, SimState } from './state.js';
import { selfSignedCertificate } from './tls.js';

export type { InventoryOptions } from './default-inventory.js';
export type { FaultRule, InjectableFault } from './fault-injection.js';
export type { PowerState, SimNic, SimVm } from './model.js';
export type { VcSim } from './sim.js';
export type { SimStats } from './state.js';

/** Options of `startVcSim`; every field is optional and the defaults give govmomi's familiar VPX inventory. */
export interface VcSimOptions {
  /** Interface to bind; default 127.0.0.1 (loopback only, always, unless you say otherwise). */
  host?: string;
  /** Port; default 0 (a free port, see `url`). */
  port?: number;
  /** Serve https with a fresh self-signed certificate (its PEM is `ca`). */
  tls?: boolean;
  /** `about.apiVersion` and vimServiceVersions.xml; default `8.0.3.0`. */
  apiVersion?: string;
  /** Time an InstantClone task spends running; default 200 ms (0 for fastest). */
  taskDurationMs?: number;
  /** How long a clone reports its source's guest IP/host name before its own; default 2000 ms. */
  guestIpDelayMs?: number;
  /** Accept only this user name (default: any non-empty). */
  username?: string;
  /** Accept only this password (default: any non-empty). */
  password?: string;
  /** Idle time after which a session dies; default 30 min as on vCenter. */
  sessionIdleTimeoutMs?: number;
  /** RetrieveProperties(Ex) without a session: vCenter's missingSet answer (default) or a NotAuthenticated fault. */
  unauthenticatedRetrieve?: 'missingSet' | 'fault';
  inventory?: InventoryOptions;
}

/** A running simulator. `close` is a bound function (safe to pass around) and is idempotent. */
export interface VcSimHandle {
  /** The SDK endpoint, e.g. `http://127.0.0.1:PORT/sdk`. */
  url: string;
  /** PEM of the self-signed certificate when `tls` is set; trust it as the CA. */
  ca?: string;
  sim: VcSim;
  close(): Promise<void>;
}

/**
 * Starts an in-process vCenter simulator speaking vim25 SOAP, with InstantClone_Task.
 * @throws when the port cannot be bound.
 * @example
 * const vc = await startVcSim({ taskDurationMs: 0 });
 * // point a vim25 client at vc.url, then:
 * vc.sim.findVmByName('DC0_H0_VM0');
 * await vc.close();
 */
export async function startVcSim(options: VcSimOptions = {}): Promise<VcSimHandle> {
  const state = new SimState(
    {
      apiVersion: options.apiVersion ?? '8.0.3.0',
      taskDurationMs: options.taskDurationMs ?? 200,
      guestIpDelayMs: options.guestIpDelayMs ?? 2000,
      username: options.username,
      password: options.password,
      sessionIdleTimeoutMs: options.sessionIdleTimeoutMs ?? 30 * 60 * 1000,
      instanceUuid: defaultInstanceUuid(),
      unauthenticatedRetrieve: options.unauthenticatedRetrieve ?? 'missingSet',
    },
    options.inventory,
  );
  const handler = requestHandler(state);
  const host = options.host ?? '127.0.0.1';
  let ca: string | undefined;
  let server: Server;
  if (options.tls) {
    const cert = await selfSignedCertificate(host);
    ca = cert.cert;
    server = createHttpsServer({ key: cert.key, cert: cert.cert }, handler);
  } else {
    server = createHttpServer(handler);
  }
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      state.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return { url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}/sdk`, ca, sim: createVcSim(state), close };
}
