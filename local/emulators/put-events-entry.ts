import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../local-aws.js';

/** The envelope the stand-in delivers: what a rule target receives on AWS. */
export type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

/** One `PutEventsRequestEntry` as it arrives on the wire: untrusted, so every field is checked. */
export type PutEventsEntry = {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  Time?: unknown;
  EventBusName?: unknown;
};

/** A per-entry failure in the PutEvents response, with AWS's error codes. */
export type EntryFailure = { ErrorCode: string; ErrorMessage: string };

const MAX_DETAIL_TYPE_LENGTH = 128;

/**
 * Validates one entry the way PutEvents does and wraps it in the delivery envelope.
 * Failures (never thrown): `ResourceNotFoundException` for another bus (an absent EventBusName means
 * `default`), `InvalidArgument` for a missing Source/DetailType or a DetailType over 128 characters,
 * `MalformedDetail` when Detail is not a JSON object.
 */
export function toEnvelope(entry: PutEventsEntry, busName: string): BusEvent | EntryFailure {
  const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
  if (bus !== busName && !bus.endsWith(`:event-bus/${busName}`)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  }
  if (typeof entry.Source !== 'string' || entry.Source === '') {
    return invalidArgument('Source', 'Source is a required argument.');
  }
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
    return invalidArgument('DetailType', 'DetailType is a required argument.');
  }
  if (entry.DetailType.length > MAX_DETAIL_TYPE_LENGTH) {
    return invalidArgument('DetailType', `DetailType exceeds ${MAX_DETAIL_TYPE_LENGTH} characters.`);
  }
  const detail = parseDetail(entry.Detail);
  if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const resources = Array.isArray(entry.Resources) ? entry.Resources.filter((r) => typeof r === 'string') : [];
  // The SDK serialises Time as epoch seconds; AWS stamps the envelope to the second.
  const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: LOCAL_ACCOUNT_ID,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources,
    detail,
  };
}

function invalidArgument(parameter: string, reason: string): EntryFailure {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

function parseDetail(detail: unknown): Record<string, unknown> | undefined {
  if (typeof detail !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
