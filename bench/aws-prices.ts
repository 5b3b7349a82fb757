/**
 * Public AWS list prices the `cost` bench prices requests at: region us-east-1, on-demand, no free tier, as published
 * on the services' pricing pages (DynamoDB on-demand after the November 2024 cut). Not fetched at run time: update
 * the date and the figures together when AWS changes them.
 */
export const AWS_PRICES = {
  date: '2026-12-04',
  region: 'us-east-1',
  /** HTTP API, first 300 million requests a month, per request (each 512 KB counted as one). */
  apiGatewayHttpRequest: 1.0 / 1e6,
  /** Lambda on Arm (the functions' architecture, infra/constructs/node-function.ts), per request and per GB-second. */
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  /** DynamoDB on-demand, per write and per read request unit (standard table class). */
  dynamodbWriteUnit: 0.625 / 1e6,
  dynamodbReadUnit: 0.125 / 1e6,
  /** SQS standard queue, per request (each 64 KB chunk counted as one). */
  sqsRequest: 0.4 / 1e6,
  /** EventBridge custom events on a custom bus, per event (each 64 KB chunk counted as one). */
  eventBridgeEvent: 1.0 / 1e6,
  /** Secrets Manager, per API call (the $0.40 a secret a month is a fixed cost, not a clone's). */
  secretsManagerCall: 0.05 / 10_000,
} as const;
