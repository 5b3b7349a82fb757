import type { SubmissionKey } from '../../clones/model/submission-key.js';
import { SIGNATURE_WINDOW_SECONDS } from '../../http/hmac-signatures.js';

/**
 * The submission key of a verified, timestamped signature: a replay of the same signed request (accepted for as long
 * as its timestamp is within the window, so for at most twice the window from now) gets the jobs of the first one and
 * never makes new ones. Only the exact signature string verifies, so it names one request. `provider` keeps the
 * generic hook's and Slack's apart.
 */
export const replayKeyOf = (provider: 'generic' | 'slack', signature: string): SubmissionKey => ({
  kind: 'signature',
  value: `${provider}:${signature}`,
  ttlSeconds: 2 * SIGNATURE_WINDOW_SECONDS,
});
