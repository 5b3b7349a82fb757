import { createHmac, timingSafeEqual } from 'node:crypto';
import { verify as verifyGithubHmac } from '@octokit/webhooks-methods';
import { SignatureError } from '../errors/signed-request-errors.js';

/** Signed requests older or newer than this are refused (replay window). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** Header names of the generic trigger and of our signed callbacks (same scheme both ways). */
export const INSTACLONE_SIGNATURE_HEADER = 'x-instaclone-signature';
export const INSTACLONE_TIMESTAMP_HEADER = 'x-instaclone-timestamp';

/**
 * Compares two strings in constant time. Unequal lengths compare the expected value against itself (so the
 * time does not depend on where they differ) and then answer false.
 */
export const constantTimeEqual = (given: string, expected: string): boolean => {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  const same = a.length === b.length;
  return timingSafeEqual(same ? a : b, b) && same;
};

/** Lower-case hex HMAC-SHA256 of `payload` with `secret`. */
export const hmacSha256Hex = (secret: string, payload: string | Buffer): string =>
  createHmac('sha256', secret).update(payload).digest('hex');

const missing = (what: string) => new SignatureError('SIGNATURE_MISSING', `${what} is missing`);
const invalid = () => new SignatureError('SIGNATURE_INVALID', 'signature does not match');

/** Parses a unix-seconds timestamp and refuses it outside the replay window around `now`. */
const checkFreshness = (timestamp: string | undefined, now: Date, header: string): number => {
  if (!timestamp) throw missing(header);
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError('SIGNATURE_INVALID', `${header} is not unix seconds`);
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > SIGNATURE_WINDOW_SECONDS) {
    throw new SignatureError('SIGNATURE_STALE', `${header} is outside the ${SIGNATURE_WINDOW_SECONDS} s window`);
  }
  return seconds;
};

/**
 * Signs a body the way the generic trigger and our callbacks do: `sha256=<hex HMAC-SHA256 of "<ts>.<body>">`.
 * Returns the two headers to send.
 */
export const signTimestamped = (secret: string, body: string, now: Date): Record<string, string> => {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [INSTACLONE_TIMESTAMP_HEADER]: timestamp,
    [INSTACLONE_SIGNATURE_HEADER]: `sha256=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`,
  };
};

/**
 * Verifies `X-Instaclone-Signature` / `X-Instaclone-Timestamp` over the raw body.
 * Throws SignatureError SIGNATURE_MISSING, SIGNATURE_STALE (outside 5 minutes) or SIGNATURE_INVALID.
 */
export const verifyTimestamped = (
  secret: string,
  rawBody: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  now: Date,
): void => {
  if (!headers.signature) throw missing(INSTACLONE_SIGNATURE_HEADER);
  checkFreshness(headers.timestamp, now, INSTACLONE_TIMESTAMP_HEADER);
  const expected = `sha256=${hmacSha256Hex(secret, `${headers.timestamp}.${rawBody}`)}`;
  if (!constantTimeEqual(headers.signature, expected)) throw invalid();
};

/**
 * Verifies Slack's request signature: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<ts>:<body>">` with
 * `X-Slack-Request-Timestamp` within 5 minutes. Throws SignatureError like {@link verifyTimestamped}.
 */
export const verifySlackSignature = (
  signingSecret: string,
  rawBody: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  now: Date,
): void => {
  if (!headers.signature) throw missing('x-slack-signature');
  checkFreshness(headers.timestamp, now, 'x-slack-request-timestamp');
  const expected = `v0=${hmacSha256Hex(signingSecret, `v0:${headers.timestamp}:${rawBody}`)}`;
  if (!constantTimeEqual(headers.signature, expected)) throw invalid();
};

/**
 * Verifies GitHub's `X-Hub-Signature-256: sha256=<hex>` over the raw body with @octokit/webhooks-methods
 * (constant time). GitHub sends no timestamp: replays are caught by the delivery-id ledger instead.
 */
export const verifyGithubSignature = async (
  secret: string,
  rawBody: string,
  signature: string | undefined,
): Promise<void> => {
  if (!signature) throw missing('x-hub-signature-256');
  if (rawBody.length === 0 || !(await verifyGithubHmac(secret, rawBody, signature))) throw invalid();
};
