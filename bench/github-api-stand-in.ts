import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in saw: every request's method and path, in arrival order. */
export type GithubStandIn = { url: string; calls: Array<{ method: string; path: string }>; close(): Promise<void> };

/**
 * The two GitHub API calls a runner clone makes, on 127.0.0.1 and answered at once: installation access tokens
 * (`POST /app/installations/{id}/access_tokens`) and JIT runner configs (`POST …/actions/runners/generate-jitconfig`,
 * repository or organisation). Anything else answers 404. The config is a fixed marker, never a credential.
 */
export const startGithubStandIn = async (): Promise<GithubStandIn> => {
  const calls: GithubStandIn['calls'] = [];
  let runnerId = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      calls.push({ method: req.method ?? '', path });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
        return send(201, { token: 'ghs_bench', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
      }
      if (req.method === 'POST' && path.endsWith('/actions/runners/generate-jitconfig')) {
        runnerId++;
        return send(201, { runner: { id: runnerId }, encoded_jit_config: `BENCH-JIT-CONFIG-${runnerId}` });
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
