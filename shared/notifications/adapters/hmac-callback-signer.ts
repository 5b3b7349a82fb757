import { signTimestamped } from '../../http/hmac-signatures.js';
import type { CallbackSigner } from '../ports/callback-signer.js';

/**
 * Signs callbacks like the generic trigger: `X-Instaclone-Signature: sha256=<hmac("<ts>.<body>")>` and
 * `X-Instaclone-Timestamp`, with the secret `secret` resolves (a cached SecretProvider). Rejects as `secret` does.
 */
export const hmacCallbackSigner =
  (secret: () => Promise<string>): CallbackSigner =>
  async (body, at) =>
    signTimestamped(await secret(), body, at);
