import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnsupportedMediaTypeError } from '../errors/app-error.js';
import { headerOf } from './raw-body.js';

/** The media types our routes read: JSON bodies, and Slack's form posts. */
export const MEDIA_TYPES = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
} as const;
export type BodyKind = keyof typeof MEDIA_TYPES;

/** `application/json` and structured-syntax JSON types (RFC 6839), e.g. `application/merge-patch+json`. */
const isJsonType = (type: string): boolean => type === MEDIA_TYPES.json || /^application\/[^/]+\+json$/.test(type);

/** The header's media type (lower case, parameters dropped) and its `charset` parameter, if any. */
const parse = (header: string): { type: string; charset?: string } => {
  const [type = '', ...params] = header.split(';').map((p) => p.trim());
  const charset = params
    .map((p) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1])
    .find((c): c is string => c !== undefined);
  return { type: type.toLowerCase(), ...(charset !== undefined && { charset: charset.toLowerCase() }) };
};

/**
 * Checks the request's `Content-Type` before its body is read. A JSON route takes `application/json` (or a `+json`
 * type), a form route `application/x-www-form-urlencoded`, each in UTF-8 (no charset, or `charset=utf-8`). A request
 * without the header is read as the route's kind (clients such as `fetch` with a string body omit it).
 * Throws UnsupportedMediaTypeError (415) for anything else: `text/plain` is never parsed as JSON.
 */
export const requireContentType = (event: Pick<APIGatewayProxyEventV2, 'headers'>, kind: BodyKind): void => {
  const header = headerOf(event, 'content-type');
  if (header === undefined || header.trim() === '') return;
  const { type, charset } = parse(header);
  const typeFits = kind === 'json' ? isJsonType(type) : type === MEDIA_TYPES.form;
  const charsetFits = charset === undefined || charset === 'utf-8' || charset === 'utf8';
  if (!typeFits || !charsetFits) {
    throw new UnsupportedMediaTypeError(`${MEDIA_TYPES[kind]} (UTF-8)`, JSON.stringify(header.slice(0, 100)));
  }
};
