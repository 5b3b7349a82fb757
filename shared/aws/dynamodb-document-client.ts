import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client every adapter of the job table uses. Callers choose map keys (labels, guestinfo, extraConfig),
 * and the marshaller tells a plain object from a class instance by its `constructor` property: an object with an own
 * `constructor` key (`{"labels":{"constructor":"x"}}`) would be refused as a class instance. With
 * `convertClassInstanceToMap` such an object is stored as the map it is, and read back with the same keys (the
 * unmarshaller assigns every key as an own property; `__proto__`, the one key it cannot, is refused at parse time).
 * `removeUndefinedValues` drops optional fields that are present but undefined.
 */
export const makeDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
