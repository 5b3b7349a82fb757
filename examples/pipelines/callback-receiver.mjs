// A callback receiver that verifies instaclone's Standard Webhooks with the `standardwebhooks` library
// (`npm install standardwebhooks`; Svix's libraries verify the same headers).
//
//   CALLBACK_SIGNING_SECRET=whsec_… node examples/pipelines/callback-receiver.mjs 9000
//
// 204 for a verified delivery (each webhook-id handled once: delivery is at least once), 401 for anything else:
// a missing or wrong signature, a body changed on the way, a timestamp more than five minutes off.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';

/** `whsec_…` is Standard Webhooks' own form; any other secret is used as its bytes (`format: 'raw'`). */
const webhookFor = (secret) =>
  secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });

/**
 * Starts the receiver on 127.0.0.1:`port` (0: any free port). `onEvent(body)` gets each verified delivery once.
 * Resolves with `{ url, close }`.
 */
export const startCallbackReceiver = async ({ secret, port = 0, onEvent = () => {} }) => {
  const webhook = webhookFor(secret);
  const seen = new Set();
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8'); // verify the bytes as they came, before any parsing
    let body;
    try {
      body = webhook.verify(raw, req.headers);
    } catch (err) {
      res.writeHead(401).end(err.message);
      return;
    }
    const id = req.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      onEvent(body);
    }
    res.writeHead(204).end();
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.CALLBACK_SIGNING_SECRET;
  if (!secret) throw new Error('set CALLBACK_SIGNING_SECRET (npm start prints it)');
  const receiver = await startCallbackReceiver({
    secret,
    port: Number(process.argv[2] ?? 9000),
    onEvent: (body) => console.log(`${body.type} ${body.job.jobId} ${body.job.status}`),
  });
  console.log(`listening on ${receiver.url}`);
}
