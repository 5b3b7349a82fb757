import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFaultRule } from './fault-injection.js';
import { createVcSim } from './sim.js';
import type { SimState } from './state.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The admin API under `/vcsim/`, answered only to loopback clients (403 otherwise), JSON in and out:
 * - `GET /vcsim/stats`, `GET /vcsim/vms`
 * - `GET|POST|DELETE /vcsim/faults` (list, add one FaultRule, clear)
 * - `POST /vcsim/vms/<moref>/power` `{"state":"poweredOff"}`, `POST /vcsim/vms/<moref>/frozen` `{"frozen":true}`
 * - `POST /vcsim/sessions/expire`
 */
export async function handleAdmin(
  state: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, { error: 'admin API is loopback-only' });
  const sim = createVcSim(state);
  const route = `${req.method} ${path.replace(/\/vms\/[^/]+\//, '/vms/:moref/')}`;
  const moref = path.match(/^\/vcsim\/vms\/([^/]+)\//)?.[1] ?? '';
  try {
    switch (route) {
      case 'GET /vcsim/stats':
        return send(res, 200, state.stats);
      case 'GET /vcsim/vms':
        return send(res, 200, sim.listVms());
      case 'GET /vcsim/faults':
        return send(res, 200, state.faults.list());
      case 'DELETE /vcsim/faults':
        sim.clearFaults();
        return send(res, 204, undefined);
      case 'POST /vcsim/faults': {
        const rule = await readJson(req);
        if (!isFaultRule(rule)) return send(res, 400, { error: 'body must be a FaultRule' });
        sim.injectFault(rule);
        return send(res, 201, rule);
      }
      case 'POST /vcsim/vms/:moref/power': {
        const body = await readJson(req);
        const powerState = (body as { state?: unknown } | undefined)?.state;
        if (powerState !== 'poweredOn' && powerState !== 'poweredOff' && powerState !== 'suspended') {
          return send(res, 400, { error: 'state must be poweredOn, poweredOff or suspended' });
        }
        sim.setPowerState(moref, powerState);
        return send(res, 200, sim.getVm(moref));
      }
      case 'POST /vcsim/vms/:moref/frozen': {
        const frozen = ((await readJson(req)) as { frozen?: unknown } | undefined)?.frozen;
        if (typeof frozen !== 'boolean') return send(res, 400, { error: 'frozen must be a boolean' });
        sim.setFrozen(moref, frozen);
        return send(res, 200, sim.getVm(moref));
      }
      case 'POST /vcsim/sessions/expire':
        sim.expireSessions();
        return send(res, 204, undefined);
      default:
        return send(res, 404, { error: `no admin route ${route}` });
    }
  } catch (err) {
    return send(res, 400, { error: err instanceof Error ? err.message : String(err) });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('body is not JSON');
  }
}
