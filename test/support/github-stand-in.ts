import { generateKeyPairSync } from 'node:crypto';
import { startLoopbackServer } from './loopback-server.js';

/**
 * A GitHub API stand-in for runner tests and benches: installation tokens always work and every other call
 * (generate-jitconfig) answers a JIT config `jitConfig` for a new runner id; every request is recorded. `app` is what
 * the local stack's `integrations` take (a fresh App key, the stand-in's URL).
 */
export const startGithubStandIn = async (jitConfig = 'JIT-CONFIG-FOR-TEST') => {
  const server = await startLoopbackServer((req, index) =>
    req.url.startsWith('/app/')
      ? { status: 201, body: { token: 'ghs_x', expires_at: new Date(Date.now() + 3_600_000).toISOString() } }
      : { status: 201, body: { runner: { id: index + 1 }, encoded_jit_config: jitConfig } },
  );
  const githubAppPrivateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  return { ...server, app: { githubAppId: '123', githubAppPrivateKey, githubApiUrl: server.url } };
};

/** The JIT config requests GitHub received. */
export const jitRequests = (github: { requests: Array<{ url: string }> }) =>
  github.requests.filter((r) => r.url.endsWith('/generate-jitconfig'));

/** The installation token requests GitHub received. */
export const tokenRequests = (github: { requests: Array<{ url: string }> }) =>
  github.requests.filter((r) => r.url.endsWith('/access_tokens'));
