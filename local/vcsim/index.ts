import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { buildInventory } from './default-inventory.js';
import { resolveOptions, type VcSimOptions } from './options.js';
import { requestHandler } from './server.js';
import { createVcSim, type VcSim } from './sim.js';
import { SimState } from './state.js';
import { keepStateFile, readStateFile, resumeWorld, type StateFileKeeper } from './state-file.js';
import { selfSignedCertificate } from './tls.js';

export type { InventoryOptions } from './default-inventory.js';
export type { FaultRule, InjectableFault } from './fault-injection.js';
export type { PowerState, SimNic, SimVm } from './model.js';
export type { VcSimOptions } from './options.js';
export type { VcSim } from './sim.js';
export type { CollectorQuirks, SimStats } from './state.js';

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
 * Starts an in-process vCenter simulator speaking vim25 SOAP, with InstantClone_Task. With `stateFile`, the world
 * is read from that file when it exists and kept in it until `close`; otherwise it lives in memory only.
 * @throws when the port cannot be bound, or the state file cannot be read, parsed or written.
 * @example
 * const vc = await startVcSim({ taskDurationMs: 0 });
 * // point a vim25 client at vc.url, then:
 * vc.sim.findVmByName('DC0_H0_VM0');
 * await vc.close();
 */
export async function startVcSim(options: VcSimOptions = {}): Promise<VcSimHandle> {
  const world = options.stateFile === undefined ? undefined : await readStateFile(options.stateFile);
  const inventory = world?.inventory ?? buildInventory(options.inventory);
  const state = new SimState(resolveOptions(options), inventory, world?.taskCounter);
  if (world) resumeWorld(state);
  const { server, ca } = await listen(requestHandler(state), options);
  const stopServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  let keeper: StateFileKeeper | undefined;
  try {
    if (options.stateFile !== undefined) keeper = await keepStateFile(options.stateFile, state);
  } catch (err) {
    state.close();
    await stopServer();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      state.close();
      await keeper?.close();
      await stopServer();
    })();
    return closing;
  };
  return { url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}/sdk`, ca, sim: createVcSim(state), close };
}

async function listen(
  handler: ReturnType<typeof requestHandler>,
  options: VcSimOptions,
): Promise<{ server: Server; ca?: string }> {
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
  return { server, ...(ca !== undefined && { ca }) };
}
