import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BodyTooLargeError } from '../errors/signed-request-errors.js';

/** Largest webhook body we verify; GitHub caps payloads at 25 MB, ours are far smaller. */
export const MAX_HOOK_BODY_BYTES = 256 * 1024;

/**
 * The request body exactly as the sender signed it. API Gateway base64-encodes bodies whose content type is
 * not textual (`isBase64Encoded`); signatures are over the bytes sent, so decode before verifying, never
 * re-serialise parsed JSON. Throws BodyTooLargeError (BODY_TOO_LARGE) above `maxBytes`.
 */
export const rawBodyOf = (
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>,
  maxBytes = MAX_HOOK_BODY_BYTES,
): string => {
  const bytes =
    event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.length > maxBytes) throw new BodyTooLargeError(maxBytes);
  return bytes.toString('utf8');
};

/** A header by lower-case name (API Gateway v2 lower-cases them; direct invocations may not). */
export const headerOf = (event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined => {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
};
