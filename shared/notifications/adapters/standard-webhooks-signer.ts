import { Webhook } from 'standardwebhooks';
import { signTimestamped } from '../../http/hmac-signatures.js';
import type { CallbackSigner } from '../ports/callback-signer.js';

/** The prefix of a Standard Webhooks secret: the rest is the key, base64. */
export const STANDARD_WEBHOOKS_SECRET_PREFIX = 'whsec_';

/**
 * The Standard Webhooks signer for `secret`: a `whsec_<base64>` secret is that key (what `npm start` generates; a
 * receiver passes it to `new Webhook(secret)` as it is); any other string is its own bytes as the key (a receiver
 * then uses `new Webhook(secret, { format: 'raw' })`).
 */
export const webhookFor = (secret: string): Webhook =>
  secret.startsWith(STANDARD_WEBHOOKS_SECRET_PREFIX)
    ? new Webhook(secret)
    : new Webhook(new TextEncoder().encode(secret), { format: 'raw' });

/**
 * Signs callbacks as Standard Webhooks (standardwebhooks.com): `webhook-id` (the delivery id, the same on every
 * retry of one event, so receivers de-duplicate on it), `webhook-timestamp` (unix seconds of this attempt) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, with the secret `secret` resolves (a
 * cached SecretProvider). For one release the previous scheme's `X-Instaclone-Signature`/`-Timestamp` are sent too
 * (deprecated), so receivers written against it keep working while they move. Rejects as `secret` does.
 */
export const standardWebhooksSigner =
  (secret: () => Promise<string>): CallbackSigner =>
  async ({ id, body, at }) => {
    const key = await secret();
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': webhookFor(key).sign(id, at, body),
      ...signTimestamped(key, body, at),
    };
  };
