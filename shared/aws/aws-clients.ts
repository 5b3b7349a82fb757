import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { z } from 'zod';
import type { AwsEndpointsSchema } from '../config/service-config.js';

type Endpoints = z.infer<typeof AwsEndpointsSchema>;

/**
 * SDK client factories. Locally every client gets its emulator endpoint explicitly: the SQS client otherwise
 * sends to the queue URL's host (`sqs.<region>.localhost`), which does not resolve.
 */
const base = (region: string, endpoint: string | undefined) =>
  endpoint ? { region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : { region };

export const makeSqsClient = (c: Endpoints): SQSClient => new SQSClient(base(c.AWS_REGION, c.AWS_ENDPOINT_URL_SQS));
export const makeDynamoDbClient = (c: Endpoints): DynamoDBClient =>
  new DynamoDBClient(base(c.AWS_REGION, c.AWS_ENDPOINT_URL_DYNAMODB));
export const makeEventBridgeClient = (c: Endpoints): EventBridgeClient =>
  new EventBridgeClient(base(c.AWS_REGION, c.AWS_ENDPOINT_URL_EVENTBRIDGE));
export const makeSecretsManagerClient = (c: Endpoints): SecretsManagerClient =>
  new SecretsManagerClient(base(c.AWS_REGION, c.AWS_ENDPOINT_URL_SECRETS_MANAGER));
