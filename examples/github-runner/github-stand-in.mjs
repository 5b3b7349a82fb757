// A local stand-in for GitHub's REST API, to try the runner webhook without a GitHub App: it answers the two calls
// instaclone makes (an installation token, then a runner's just-in-time config) and prints each request.
//
//   node examples/github-runner/github-stand-in.mjs 9001     # then GITHUB_API_URL=http://127.0.0.1:9001
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 9001);
const server = createServer((req, res) => {
  console.log(`github stand-in: ${req.method} ${req.url}`);
  req.resume();
  const body = req.url?.startsWith('/app/installations/')
    ? { token: 'ghs_stand_in', expires_at: new Date(Date.now() + 3_600_000).toISOString() }
    : { runner: { id: 7 }, encoded_jit_config: 'JIT-CONFIG-FROM-THE-STAND-IN' };
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
server.listen(port, '127.0.0.1', () => console.log(`github stand-in on http://127.0.0.1:${server.address().port}`));
